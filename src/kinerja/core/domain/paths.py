"""Where in a nested document a problem is: the path notation every import message uses."""

from collections.abc import Iterable


def format_path(parts: Iterable[str | int]) -> str:
    """["indicators", 3, "polarity"] → "indicators[3].polarity"."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
