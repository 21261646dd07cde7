"""The SOP document as one self-contained HTML page (no scripts, no external files).

Page 1 is the identity sheet (portrait), then the flowchart table on
landscape pages (CSS named pages, so WeasyPrint and Chromium print both
orientations in one document). Pagination is ours (see `flowchart`): every
flowchart page is its own table with its own header, and the symbols are drawn
by one SVG per actor cell cut from the page's drawing.
"""

import datetime

from django.utils.html import escape
from django.utils.translation import get_language, pgettext

from kinerja.core.templatetags.kinerja_format import tanggal
from kinerja.organizations.domain.nip import format_nip
from kinerja.workflow.domain.definition import Identity, SopDefinition
from kinerja.workflow.rendering.flowchart import (
    BORDER_MM,
    CELL_PADDING_MM,
    FLOW_MARGIN_MM,
    FONT_FAMILY,
    FONT_SIZE_PT,
    HEADER_FONT_SIZE_PT,
    LINE_HEIGHT_MM,
    TITLE_FONT_SIZE_PT,
    TITLE_GAP_MM,
    TITLE_LINE_HEIGHT_MM,
    FlowchartLayout,
    FlowPage,
    duration_text,
    flowchart_area,
    flowchart_layout,
    inputs_text,
    outputs_text,
    paper_size,
)
from kinerja.workflow.rendering.svg import PageDrawing

IDENTITY_MARGIN_MM = 15


def document_labels() -> dict[str, str]:
    """The printed labels of the identity sheet and the flowchart table (PermenPANRB wording)."""
    return {
        "number": pgettext("SOP document", "SOP number"),
        "made_on": pgettext("SOP document", "Date made"),
        "revised_on": pgettext("SOP document", "Date revised"),
        "effective_on": pgettext("SOP document", "Effective date"),
        "approved_by": pgettext("SOP document", "Approved by"),
        "name": pgettext("SOP document", "SOP name"),
        "legal_basis": pgettext("SOP document", "Legal basis"),
        "qualifications": pgettext("SOP document", "Implementer qualifications"),
        "related_sops": pgettext("SOP document", "Related SOPs"),
        "equipment": pgettext("SOP document", "Equipment and supplies"),
        "warning": pgettext("SOP document", "Warning"),
        "records": pgettext("SOP document", "Recording and data keeping"),
        "row_number": pgettext("SOP document", "No."),
        "activity": pgettext("SOP document", "Activity"),
        "actors": pgettext("SOP document", "Implementers"),
        "quality": pgettext("SOP document", "Quality standard"),
        "inputs": pgettext("SOP document", "Requirements"),
        "duration": pgettext("SOP document", "Time"),
        "outputs": pgettext("SOP document", "Output"),
        "note": pgettext("SOP document", "Notes"),
    }


def flowchart_title(definition: SopDefinition) -> str:
    return pgettext("SOP document", "Standard operating procedure: %(name)s") % {
        "name": definition.identity.name
    }


def nip_line(nip: str) -> str:
    """ "NIP. 19770415 199612 2 001"."""
    return pgettext("SOP document", "NIP %(nip)s") % {"nip": format_nip(nip)}


def sop_date(value: str) -> str:
    """An ISO date from the SOP as "6 Januari 2025"; blank stays blank as in the seed."""
    if not value:
        return ""
    try:
        return tanggal(datetime.date.fromisoformat(value))
    except ValueError:
        return value


def sop_flowchart_layout(definition: SopDefinition, *, paper: str) -> FlowchartLayout:
    """The layout `render_sop_html` prints (pages, rows, symbols, connectors)."""
    width, height = flowchart_area(paper)
    return flowchart_layout(
        definition, width=width, height=height, title=flowchart_title(definition)
    )


def render_sop_html(definition: SopDefinition, *, paper: str) -> str:
    """The SOP document (identity sheet + flowchart pages) on F4 or A4 paper."""
    layout = sop_flowchart_layout(definition, paper=paper)
    pages = "".join(_flow_page(definition, layout, page) for page in layout.pages)
    return (
        f'<!doctype html><html lang="{escape(get_language() or "id")}"><head>'
        f'<meta charset="utf-8"><title>{escape(flowchart_title(definition))}</title>'
        f"<style>{_css(paper)}</style></head><body>"
        f"{_identity_sheet(definition.identity)}{pages}</body></html>"
    )


def _css(paper: str) -> str:
    short, long = paper_size(paper)
    return f"""
@page {{ size: {short:g}mm {long:g}mm; margin: {IDENTITY_MARGIN_MM}mm; }}
@page flowchart {{ size: {long:g}mm {short:g}mm; margin: {FLOW_MARGIN_MM:g}mm; }}
html {{ font-family: {FONT_FAMILY}; color: #000; }}
body {{ margin: 0; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
th, td {{ border: {BORDER_MM}mm solid #000; }}
.identity {{ font-size: 9pt; line-height: 1.35; }}
.identity table {{ width: 100%; }}
.identity td, .identity th {{ padding: 1.5mm 2mm; vertical-align: top; text-align: left; }}
.identity .agency {{ text-align: center; vertical-align: middle; font-weight: bold; }}
.identity .logo {{ width: 22mm; height: 22mm; margin: 0 auto 3mm; border: 0.3mm dashed #666;
  color: #666; font-weight: normal; font-size: 7pt; line-height: 22mm; }}
.identity .signature {{ height: 14mm; }}
.identity .name {{ font-weight: bold; text-decoration: underline; }}
.identity .sop-name {{ font-weight: bold; }}
.identity .body {{ margin-top: 4mm; }}
.identity .body th {{ border-bottom: none; }}
.identity .body td {{ border-top: none; }}
.identity ol {{ margin: 0; padding-left: 5mm; }}
.flow-page {{ page: flowchart; break-before: page; }}
.flow-title {{ margin: 0 0 {TITLE_GAP_MM}mm; font-size: {TITLE_FONT_SIZE_PT}pt;
  line-height: {TITLE_LINE_HEIGHT_MM}mm; }}
.flow {{ font-size: {FONT_SIZE_PT}pt; line-height: {LINE_HEIGHT_MM}mm; }}
.flow th, .flow td {{ padding: {CELL_PADDING_MM}mm; vertical-align: top;
  overflow-wrap: anywhere; text-align: left; }}
.flow th {{ font-size: {HEADER_FONT_SIZE_PT}pt; text-align: center; vertical-align: middle; }}
.flow td.no, .flow td.time {{ text-align: center; }}
.flow td.lane {{ padding: 0; line-height: 0; }}
.flow td.lane svg {{ display: block; }}
@media screen {{
  body {{ background: #eee; }}
  .identity, .flow-page {{ background: #fff; margin: 6mm auto; }}
  .identity {{ width: {short - 2 * IDENTITY_MARGIN_MM:g}mm; padding: {IDENTITY_MARGIN_MM}mm; }}
  .flow-page {{ width: {long - 2 * FLOW_MARGIN_MM:g}mm; padding: {FLOW_MARGIN_MM:g}mm; }}
}}
"""


def _identity_sheet(identity: Identity) -> str:
    labels = document_labels()
    signatory = identity.approved_by
    approval = ""
    if signatory is not None:
        approval = "".join(
            [
                f"<div>{escape(signatory.title)}</div>",
                '<div class="signature"></div>',
                f'<div class="name">{escape(signatory.name)}</div>' if signatory.name else "",
                f"<div>{escape(signatory.rank)}</div>" if signatory.rank else "",
                f"<div>{escape(nip_line(signatory.nip))}</div>" if signatory.nip else "",
            ]
        )
    head_rows = [
        ("number", escape(identity.number)),
        ("made_on", escape(sop_date(identity.made_on))),
        ("revised_on", escape(sop_date(identity.revised_on))),
        ("effective_on", escape(sop_date(identity.effective_on))),
        ("approved_by", approval),
        ("name", f'<span class="sop-name">{escape(identity.name)}</span>'),
    ]
    agency = (
        f'<td class="agency" rowspan="{len(head_rows)}">'
        f'<div class="logo">{escape(pgettext("SOP document", "Logo"))}</div>'
        f"{escape(identity.agency_name.upper())}</td>"
    )
    rows = "".join(
        f"<tr>{agency if index == 0 else ''}<td>{escape(labels[key])}</td><td>{value}</td></tr>"
        for index, (key, value) in enumerate(head_rows)
    )
    pairs = [
        (
            ("legal_basis", _list(identity.legal_basis)),
            ("qualifications", _list(identity.qualifications)),
        ),
        (("related_sops", _list(identity.related_sops)), ("equipment", _list(identity.equipment))),
        (("warning", escape(identity.warning)), ("records", _list(identity.records))),
    ]
    body = "".join(
        f"<tr><th>{escape(labels[left])}:</th><th>{escape(labels[right])}:</th></tr>"
        f"<tr><td>{left_value}</td><td>{right_value}</td></tr>"
        for (left, left_value), (right, right_value) in pairs
    )
    return (
        '<section class="identity"><table class="head">'
        '<colgroup><col style="width:38%"><col style="width:22%"><col style="width:40%"></colgroup>'
        f'{rows}</table><table class="body">'
        '<colgroup><col style="width:50%"><col style="width:50%"></colgroup>'
        f"{body}</table></section>"
    )


def _list(items: tuple[str, ...]) -> str:
    if not items:
        return ""
    return "<ol>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ol>"


def _flow_header(definition: SopDefinition) -> str:
    labels = {key: escape(value) for key, value in document_labels().items()}
    actors = "".join(f"<th>{escape(actor.label)}</th>" for actor in definition.actors)
    return (
        f'<thead><tr><th rowspan="2">{labels["row_number"]}</th>'
        f'<th rowspan="2">{labels["activity"]}</th>'
        f'<th colspan="{len(definition.actors)}">{labels["actors"]}</th>'
        f'<th colspan="3">{labels["quality"]}</th><th rowspan="2">{labels["note"]}</th></tr>'
        f"<tr>{actors}<th>{labels['inputs']}</th><th>{labels['duration']}</th>"
        f"<th>{labels['outputs']}</th></tr></thead>"
    )


def _flow_page(definition: SopDefinition, layout: FlowchartLayout, page: FlowPage) -> str:
    columns = layout.columns
    widths = "".join(f'<col style="width:{width:.2f}mm">' for width in columns.widths())
    drawing = PageDrawing(page)
    rows = []
    for index, row in enumerate(page.rows):
        step = row.step
        lanes = "".join(
            f'<td class="lane">{drawing.cell_svg(index, column)}</td>'
            for column in range(columns.actor_count)
        )
        rows.append(
            f'<tr data-step="{step.number}"><td class="no">{step.number}</td>'
            f'<td class="activity">{escape(step.activity)}</td>{lanes}'
            f'<td class="inputs">{escape(inputs_text(step))}</td>'
            f'<td class="time">{escape(duration_text(step.duration))}</td>'
            f'<td class="outputs">{escape(outputs_text(step))}</td>'
            f'<td class="note">{escape(step.note)}</td></tr>'
        )
    return (
        f'<section class="flow-page" data-page="{page.number}">'
        f'<h1 class="flow-title">{escape(flowchart_title(definition))}</h1>'
        f'<table class="flow" style="width:{sum(columns.widths()):.2f}mm">'
        f"<colgroup>{widths}</colgroup>{_flow_header(definition)}"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )
