"""What the database already holds for the document's agency, loaded in a fixed number of queries.

The checks resolve the document's references against this snapshot, and the
writer updates it as it creates rows, so later references (a line's indicator,
an IKI's parent line) find rows created earlier in the same import.
"""

import datetime
from dataclasses import dataclass, field

from kinerja.measurement.models import Realization
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    Government,
    OrgUnit,
    Position,
    Team,
    TeamMember,
)
from kinerja.planning.interchange.document import Document
from kinerja.planning.models import (
    AgreementLine,
    AgreementProgram,
    AnnualTarget,
    Goal,
    Indicator,
    IndividualIndicator,
    Objective,
    PerformanceAgreement,
    QuarterlyTarget,
    StrategicPlan,
)

AssignmentKey = tuple[str, str, str, datetime.date]  # nip, position code, kind, start date
AgreementKey = tuple[str, int, int]  # position code, year, version
#: employee id, position id, year, parent position code, parent indicator code, name
IndividualKey = tuple[int, int, int, str, str, str]


@dataclass
class Existing:
    government: Government | None = None
    parent_government: Government | None = None
    government_name_owner: Government | None = None
    agency: Agency | None = None
    #: the agency that already has the document's agency name in its government
    agency_name_owner: Agency | None = None
    units: dict[str, OrgUnit] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    employees: dict[str, Employee] = field(default_factory=dict)
    assignments: dict[AssignmentKey, Assignment] = field(default_factory=dict)
    teams: dict[tuple[str, str, int], Team] = field(default_factory=dict)
    members: dict[tuple[int, int], TeamMember] = field(default_factory=dict)
    plan: StrategicPlan | None = None
    goals: dict[str, Goal] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    indicators: dict[str, list[Indicator]] = field(default_factory=dict)
    annual_targets: dict[tuple[int, int], AnnualTarget] = field(default_factory=dict)
    agreements: dict[AgreementKey, PerformanceAgreement] = field(default_factory=dict)
    lines: dict[tuple[int, int], AgreementLine] = field(default_factory=dict)
    quarters: dict[tuple[int, int], QuarterlyTarget] = field(default_factory=dict)
    programs: dict[tuple[int, str], AgreementProgram] = field(default_factory=dict)
    individual: dict[IndividualKey, IndividualIndicator] = field(default_factory=dict)
    realizations: dict[tuple[int, int, int], Realization] = field(default_factory=dict)

    def indicator(self, code: str) -> Indicator | None:
        """The plan's indicator with this code when exactly one has it."""
        found = self.indicators.get(code, [])
        return found[0] if len(found) == 1 else None


def _nips(document: Document) -> set[str]:
    nips = {
        item.get("nip")
        for name in ("employees", "assignments", "individual_indicators")
        for item in document[name]
    }
    nips |= {member.get("nip") for team in document["teams"] for member in team.items("members")}
    for agreement in document["agreements"]:
        nips |= {agreement.get("holder_nip"), agreement.get("superior_nip")}
    return {nip for nip in nips if nip}


def _years(document: Document, *names: str) -> set[int]:
    return {item.get("year") for name in names for item in document[name]}


def load_existing(document: Document) -> Existing:
    """Read everything the document may match or refer to."""
    existing = Existing()
    government = document.government
    agency_code = document.agency.get("code")
    existing.agency = Agency.objects.select_related("government").filter(code=agency_code).first()
    if government is not None:
        existing.government = Government.objects.filter(code=government.get("code")).first()
        if government.get("parent_code"):
            existing.parent_government = Government.objects.filter(
                code=government.get("parent_code")
            ).first()
        if government.get("name"):
            existing.government_name_owner = Government.objects.filter(
                name=government.get("name")
            ).first()
    home = existing.agency.government if existing.agency else existing.government
    if home is not None and document.agency.get("name"):
        existing.agency_name_owner = Agency.objects.filter(
            government=home, name=document.agency.get("name")
        ).first()
    _load_employees(existing, _nips(document))
    if existing.agency is not None:
        _load_organisation(existing, existing.agency)
        _load_plan(existing, existing.agency, document)
    return existing


def _load_employees(existing: Existing, nips: set[str]) -> None:
    existing.employees = {e.nip: e for e in Employee.objects.filter(nip__in=nips) if e.nip}


def _load_organisation(existing: Existing, agency: Agency) -> None:
    existing.units = {unit.code: unit for unit in OrgUnit.objects.filter(agency=agency)}
    existing.positions = {p.code: p for p in Position.objects.filter(agency=agency)}
    assignments = Assignment.objects.filter(position__agency=agency).select_related(
        "employee", "position"
    )
    existing.assignments = {
        (a.employee.nip, a.position.code, a.kind, a.start_date): a
        for a in assignments
        if a.employee.nip
    }
    existing.teams = {(t.kind, t.name, t.year): t for t in Team.objects.filter(agency=agency)}
    # Current seats only: someone who left a team (archived seat) and is in the file
    # again gets a new seat; the former one stays as history.
    existing.members = {
        (m.team_id, m.employee_id): m
        for m in TeamMember.objects.filter(team__agency=agency, archived_at__isnull=True)
    }


def _load_plan(existing: Existing, agency: Agency, document: Document) -> None:
    if document.plan is not None:
        existing.plan = StrategicPlan.objects.filter(
            agency=agency, start_year=document.plan.get("start_year")
        ).first()
    if existing.plan is not None:
        plan = existing.plan
        existing.goals = {goal.code: goal for goal in Goal.objects.filter(plan=plan)}
        existing.objectives = {o.code: o for o in Objective.objects.filter(plan=plan)}
        indicators = Indicator.objects.filter(objective__plan=plan).select_related("objective")
        for indicator in indicators:
            existing.indicators.setdefault(indicator.code, []).append(indicator)
        plan_indicators = [i.pk for found in existing.indicators.values() for i in found]
        target_years = _years(document, "annual_targets")
        existing.annual_targets = {
            (t.indicator_id, t.year): t
            for t in AnnualTarget.objects.filter(
                indicator_id__in=plan_indicators, year__in=target_years
            )
        }
        realization_years = _years(document, "realizations")
        existing.realizations = {
            (r.indicator_id, r.year, r.quarter): r
            for r in Realization.objects.filter(
                indicator_id__in=plan_indicators, year__in=realization_years
            )
        }
    _load_agreements(existing, agency, _years(document, "agreements", "individual_indicators"))


def _load_agreements(existing: Existing, agency: Agency, years: set[int]) -> None:
    agreements = PerformanceAgreement.objects.filter(
        position__agency=agency, year__in=years
    ).select_related("position")
    existing.agreements = {(a.position.code, a.year, a.version): a for a in agreements}
    existing.lines = {
        (line.agreement_id, line.indicator_id): line
        for line in AgreementLine.objects.filter(agreement__in=agreements).select_related(
            "indicator"
        )
    }
    existing.quarters = {
        (q.line_id, q.quarter): q
        for q in QuarterlyTarget.objects.filter(line__agreement__in=agreements)
    }
    existing.programs = {
        (p.agreement_id, p.name): p
        for p in AgreementProgram.objects.filter(agreement__in=agreements)
    }
    individual = IndividualIndicator.objects.filter(
        position__agency=agency, year__in=years
    ).select_related("parent_line__agreement__position", "parent_line__indicator")
    existing.individual = {
        (
            iki.employee_id,
            iki.position_id,
            iki.year,
            iki.parent_line.agreement.position.code,
            iki.parent_line.indicator.code,
            iki.name,
        ): iki
        for iki in individual
    }
