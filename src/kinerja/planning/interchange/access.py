"""Who may import what: the planners change the plans, the organisers the organisation.

A file is checked twice. Before anything is read further the actor must be able
to plan or to organise the agency (creating an agency or a government needs
their administrator). After the writes, done inside the import's transaction so
that the counts are the real ones, every part of the file that creates or
changes something must be allowed to the actor. Only real changes count: an
exported file always carries the organisation, and a planner who re-imports it
with new targets changes nothing there.

`actor=None` (an operator's command, the demo loader) may do everything.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from kinerja.core.errors import AccessDenied
from kinerja.organizations.access import UserScope, access_agency_for_planning
from kinerja.organizations.models import Agency
from kinerja.planning.interchange.existing import Existing
from kinerja.planning.interchange.summary import KIND_LABELS

#: kinds that change the organisation (`access_agency_for_organization`). Of the employees
#: only new ones count: the writer checks a change to an existing employee's record row
#: by row with `access_employee_for_edit`, since they may work in another agency.
ORGANISATION_KINDS = ("units", "positions", "employees", "assignments", "teams", "team_members")
#: kinds that change the plans (`access_agency_for_planning`)
PLAN_KINDS = (
    "strategic_plan",
    "goals",
    "objectives",
    "indicators",
    "annual_targets",
    "agreements",
    "agreement_lines",
    "quarterly_targets",
    "agreement_programs",
    "individual_indicators",
    "realizations",
)


def access_import(actor: UserScope | None, existing: Existing) -> None:
    """The actor may import into the agency at all: plan it, organise it, or create it."""
    if actor is None:
        return
    agency = existing.agency
    if agency is not None:
        if not actor.can_organize_agency(agency):
            access_agency_for_planning(actor, agency)
        return
    government = existing.government
    if actor.is_superuser or (
        government is not None and government.pk in actor.admin_government_ids
    ):
        return
    raise AccessDenied(_("You may not change the plans of this agency."))


def access_changes(
    actor: UserScope | None,
    agency: Agency,
    *,
    created: Mapping[str, int],
    updated: Mapping[str, int],
) -> None:
    """AccessDenied naming the parts of the file the actor may not create or change."""
    if actor is None:
        return
    refusals = []
    organisation = [
        kind
        for kind in ORGANISATION_KINDS
        if created.get(kind) or (updated.get(kind) and kind != "employees")
    ]
    if organisation and not actor.can_organize_agency(agency):
        refusals.append(
            _(
                "This file changes the organisation of the agency (%(parts)s). Only the "
                "Sekretariat or the Kasubbag Umum may do that: remove these changes from the "
                "file or ask them to import it."
            )
            % {"parts": _labels(organisation)}
        )
    plans = [kind for kind in PLAN_KINDS if created.get(kind) or updated.get(kind)]
    if plans and not actor.can_plan_agency(agency):
        refusals.append(
            _(
                "This file changes the plans of the agency (%(parts)s). Only its planners "
                "(Kepala Dinas, Sekretaris, Kasubbag Program, Fungsional Umum) may do that: "
                "remove these changes from the file or ask them to import it."
            )
            % {"parts": _labels(plans)}
        )
    if refusals:
        raise AccessDenied(" ".join(refusals))


def _labels(kinds: list[str]) -> str:
    return ", ".join(str(KIND_LABELS[kind]) for kind in kinds)
