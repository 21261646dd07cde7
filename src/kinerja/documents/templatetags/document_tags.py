"""Template filters of the document pages."""

from django import template

from kinerja.documents.domain.sizes import format_size

register = template.Library()


@register.filter
def filesize(size: int | None) -> str:
    """Bytes the Indonesian way: 1536 → "1,5 KB" (see `domain.sizes`)."""
    return "–" if size is None else format_size(size)
