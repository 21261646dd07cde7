"""The official SOP document (PermenPANRB 35/2012) rendered from a `SopDefinition`.

`render_sop_html`, `render_sop_pdf` and `render_sop_docx` take the definition
and the paper ("f4" or "a4"); see docs/decisions/0003-sop-document-rendering.md.
"""

from kinerja.workflow.rendering.docx import render_sop_docx
from kinerja.workflow.rendering.html import render_sop_html
from kinerja.workflow.rendering.pdf import render_sop_pdf

__all__ = ["render_sop_docx", "render_sop_html", "render_sop_pdf"]
