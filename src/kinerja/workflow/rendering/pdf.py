"""The SOP document as PDF: WeasyPrint prints the HTML of `render_sop_html`."""

from kinerja.workflow.domain.definition import SopDefinition
from kinerja.workflow.rendering.html import render_sop_html


def _no_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    """The document is self-contained: refuse any URL instead of touching the network."""
    raise ValueError(f"SOP documents load no external resources ({url})")


def render_sop_pdf(definition: SopDefinition, *, paper: str) -> bytes:
    """The SOP document (identity sheet + flowchart pages) as PDF bytes."""
    from weasyprint import HTML  # imported here: loading WeasyPrint takes a second

    document = HTML(string=render_sop_html(definition, paper=paper), url_fetcher=_no_fetch)
    return document.write_pdf()
