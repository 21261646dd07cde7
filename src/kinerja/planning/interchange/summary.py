"""An import report in words, for the management command and the upload page."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.planning.interchange.problems import ImportReport

#: the kinds of record an import counts, in the order of the document
KIND_LABELS = {
    "government": gettext_lazy("Government"),
    "agency": gettext_lazy("Agency"),
    "units": gettext_lazy("Units"),
    "positions": gettext_lazy("Positions"),
    "employees": gettext_lazy("Employees"),
    "assignments": gettext_lazy("Assignments"),
    "teams": gettext_lazy("Teams"),
    "team_members": gettext_lazy("Team members"),
    "strategic_plan": gettext_lazy("Renstra"),
    "goals": gettext_lazy("Goals"),
    "objectives": gettext_lazy("Objectives"),
    "indicators": gettext_lazy("Indicators"),
    "annual_targets": gettext_lazy("Annual targets"),
    "agreements": gettext_lazy("Performance agreements (PK)"),
    "agreement_lines": gettext_lazy("PK lines"),
    "quarterly_targets": gettext_lazy("Quarterly targets (Rencana Aksi)"),
    "agreement_programs": gettext_lazy("PK programmes"),
    "individual_indicators": gettext_lazy("Individual indicators (IKI)"),
    "realizations": gettext_lazy("Realisasi"),
}


def count_lines(report: ImportReport) -> list[str]:
    """One line per kind of record: how many are new, changed and unchanged."""
    return [
        _("%(kind)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged")
        % {
            "kind": label,
            "created": report.created.get(kind, 0),
            "updated": report.updated.get(kind, 0),
            "unchanged": report.unchanged.get(kind, 0),
        }
        for kind, label in KIND_LABELS.items()
        if report.created.get(kind) or report.updated.get(kind) or report.unchanged.get(kind)
    ]
