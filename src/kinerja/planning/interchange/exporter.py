"""`planning_export`: one agency's plans of one year in the import format.

The result is JSON-ready (numbers as int/float when exact, otherwise strings)
and importing it again changes nothing. It holds the whole organisation, the
Renstra covering the year with its annual targets for every year, the year's
PK versions with their Rencana Aksi and programmes, the year's IKI, teams and
realisasi. Archived rows (a former team member's seat among them) and people
without a NIP are left out (the format names people by NIP).
"""

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q

from kinerja.core.errors import NotFound
from kinerja.measurement.models import Realization
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    OrgUnit,
    Position,
    Team,
    TeamMember,
)
from kinerja.planning.models import (
    AgreementLine,
    AnnualTarget,
    Goal,
    Indicator,
    IndividualIndicator,
    Objective,
    PerformanceAgreement,
    QuarterlyTarget,
    StrategicPlan,
)

FORMAT = "kinerja-planning"
VERSION = 1


def json_number(number: Decimal | None) -> int | float | str | None:
    """A Decimal as the plainest JSON value that keeps it exactly."""
    if number is None:
        return None
    if number == number.to_integral_value():
        return int(number)
    as_float = float(number)
    if Decimal(repr(as_float)) == number:
        return as_float
    return format(number.normalize(), "f")


def _empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | list) and not value)


def _compact(**values: Any) -> dict[str, Any]:
    """Drop empty optional values (None, "", False, []) to keep the file readable."""
    return {key: value for key, value in values.items() if not _empty(value)}


def _code(related: Any) -> str | None:
    return related.code if related is not None else None


def _target(target: Any) -> dict[str, Any]:
    if target.low is not None or target.high is not None:
        return _compact(low=json_number(target.low), high=json_number(target.high))
    return _compact(value=json_number(target.value))


def planning_export(*, scope: UserScope | None, agency: Agency, year: int) -> dict[str, Any]:
    """The agency's plans for `year`; `scope=None` is a trusted system call."""
    if scope is not None and not scope.can_view_agency(agency):
        raise NotFound("agency")
    government = agency.government
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "government": _compact(
            code=government.code,
            name=government.name,
            level=government.level,
            time_zone=government.time_zone,
            parent_code=_code(government.parent),
            capital=government.capital,
        ),
        "agency": _compact(
            code=agency.code,
            name=agency.name,
            short_name=agency.short_name,
            kind=agency.kind,
            is_coordinating=agency.is_coordinating,
            address=agency.address,
            phone=agency.phone,
            email=agency.email,
            website=agency.website,
        ),
    }
    data.update(_organisation(agency, year))
    plan = (
        StrategicPlan.objects.filter(
            agency=agency, start_year__lte=year, end_year__gte=year, archived_at__isnull=True
        )
        .order_by("-start_year")
        .first()
    )
    indicators: list[Indicator] = []
    if plan is not None:
        renstra, indicators = _renstra(plan)
        data.update(renstra)
    codes = {indicator.pk: indicator.code for indicator in indicators}
    data["agreements"] = _agreements(agency, year, codes)
    data["individual_indicators"] = _individual(agency, year, codes)
    data["realizations"] = [
        _compact(
            indicator=codes[r.indicator_id],
            year=r.year,
            quarter=r.quarter,
            value=json_number(r.value),
            numerator=json_number(r.numerator),
            denominator=json_number(r.denominator),
        )
        for r in Realization.objects.filter(indicator__in=indicators, year=year).order_by(
            "indicator__objective__sort_order",
            "indicator__sort_order",
            "indicator__code",
            "quarter",
        )
        if (r.value, r.numerator, r.denominator) != (None, None, None)
    ]
    data["employees"] = _employees(agency, data)
    return _ordered(data)


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    order = [
        "format",
        "version",
        "government",
        "agency",
        "units",
        "positions",
        "employees",
        "assignments",
        "teams",
        "strategic_plan",
        "goals",
        "objectives",
        "indicators",
        "annual_targets",
        "agreements",
        "individual_indicators",
        "realizations",
    ]
    return {key: data[key] for key in order if not _empty(data.get(key))}


def _organisation(agency: Agency, year: int) -> dict[str, Any]:
    units = OrgUnit.objects.filter(agency=agency, archived_at__isnull=True).select_related("parent")
    positions = Position.objects.filter(agency=agency, archived_at__isnull=True).select_related(
        "unit", "superior"
    )
    assignments = (
        Assignment.objects.filter(
            position__agency=agency, archived_at__isnull=True, employee__nip__isnull=False
        )
        .select_related("employee", "position")
        .order_by("position__sort_order", "position__code", "start_date", "pk")
    )
    current_seats = TeamMember.objects.filter(archived_at__isnull=True).select_related("employee")
    teams = Team.objects.filter(
        agency=agency, year=year, archived_at__isnull=True
    ).prefetch_related(Prefetch("members", queryset=current_seats.order_by("pk")))
    return {
        "units": [
            _compact(
                code=u.code,
                name=u.name,
                kind=u.kind,
                parent=_code(u.parent),
                sort_order=u.sort_order or None,
            )
            for u in units.order_by("sort_order", "name")
        ],
        "positions": [
            _compact(
                code=p.code,
                title=p.title,
                role_key=p.role_key,
                unit=_code(p.unit),
                superior=_code(p.superior),
                echelon=p.echelon,
                sort_order=p.sort_order or None,
            )
            for p in positions.order_by("sort_order", "title")
        ],
        "assignments": [
            _compact(
                nip=a.employee.nip,
                position=a.position.code,
                kind=a.kind,
                start_date=a.start_date.isoformat(),
                end_date=a.end_date.isoformat() if a.end_date else None,
                decree_number=a.decree_number,
            )
            for a in assignments
        ],
        "teams": [
            _compact(
                kind=team.kind,
                name=team.name,
                year=team.year,
                decree_number=team.decree_number,
            )
            | {
                "members": [
                    {"nip": m.employee.nip, "role": m.role}
                    for m in team.members.all()
                    if m.employee.nip
                ]
            }
            for team in teams.order_by("kind", "name")
        ],
    }


def _renstra(plan: StrategicPlan) -> tuple[dict[str, Any], list[Indicator]]:
    goals = Goal.objects.filter(plan=plan, archived_at__isnull=True).order_by("sort_order", "code")
    objectives = (
        Objective.objects.filter(plan=plan, archived_at__isnull=True)
        .select_related("goal", "parent", "unit")
        .order_by("sort_order", "code")
    )
    indicators = list(
        Indicator.objects.filter(objective__plan=plan, archived_at__isnull=True)
        .select_related("objective", "responsible_unit")
        .order_by("objective__sort_order", "objective__code", "sort_order", "code")
    )
    targets = AnnualTarget.objects.filter(indicator__in=indicators).order_by("year")
    by_indicator: dict[int, list[AnnualTarget]] = {}
    for target in targets:
        by_indicator.setdefault(target.indicator_id, []).append(target)
    data = {
        "strategic_plan": _compact(
            title=plan.title,
            start_year=plan.start_year,
            end_year=plan.end_year,
            decree_number=plan.decree_number,
        ),
        "goals": [
            _compact(code=g.code, statement=g.statement, sort_order=g.sort_order or None)
            for g in goals
        ],
        "objectives": [
            _compact(
                code=o.code,
                statement=o.statement,
                level=o.level,
                goal=_code(o.goal),
                parent=_code(o.parent),
                unit=_code(o.unit),
                sort_order=o.sort_order or None,
            )
            for o in objectives
        ],
        "indicators": [_indicator(i) for i in indicators],
        "annual_targets": [
            {"indicator": i.code, "year": t.year, **_target(t)}
            for i in indicators
            for t in by_indicator.get(i.pk, [])
        ],
    }
    return data, indicators


def _indicator(i: Indicator) -> dict[str, Any]:
    return _compact(
        code=i.code,
        objective=i.objective.code,
        name=i.name,
        unit_of_measure=i.unit_of_measure,
        polarity=i.polarity,
        aggregation=i.aggregation,
        definition=i.definition,
        formula=i.formula,
        numerator=i.numerator_label,
        denominator=i.denominator_label,
        data_source=i.data_source,
        responsible_unit=_code(i.responsible_unit),
        is_key=i.is_key,
        evidence_required=i.evidence_required,
        baseline=json_number(i.baseline),
        sort_order=i.sort_order or None,
    )


def _agreements(agency: Agency, year: int, codes: dict[int, str]) -> list[dict[str, Any]]:
    agreements = (
        PerformanceAgreement.objects.filter(
            position__agency=agency, year=year, archived_at__isnull=True, holder__nip__isnull=False
        )
        .select_related("position", "holder", "superior")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=AgreementLine.objects.order_by("sort_order", "pk").prefetch_related(
                    Prefetch(
                        "quarterly_targets", queryset=QuarterlyTarget.objects.order_by("quarter")
                    )
                ),
            ),
            "programs",
        )
        .order_by("position__sort_order", "position__code", "version")
    )
    zone = ZoneInfo(agency.government.time_zone)
    result = []
    for a in agreements:
        item = _compact(
            position=a.position.code,
            year=a.year,
            version=a.version,
            effective_date=a.effective_date.isoformat(),
            status=a.status,
            signed_at=_local_time(a.signed_at, zone),
            holder_nip=a.holder.nip,
        )
        item["superior_nip"] = a.superior.nip if a.superior is not None else None
        if a.superior is None:
            item |= _compact(superior_name=a.superior_name, superior_external_nip=a.superior_nip)
        item |= _compact(
            holder_title=a.holder_title,
            superior_title=a.superior_title,
            place=a.place,
            revision_reason=a.revision_reason,
        )
        lines = [_line(line, codes) for line in a.lines.all() if line.indicator_id in codes]
        programs = [
            _compact(name=p.name, budget=json_number(p.budget), sort_order=p.sort_order or None)
            for p in sorted(a.programs.all(), key=lambda p: (p.sort_order, p.pk))
        ]
        item |= _compact(lines=lines, programs=programs)
        result.append(item)
    return result


def _local_time(moment: datetime.datetime | None, zone: ZoneInfo) -> str | None:
    """The government's local time with its offset, e.g. "2025-01-27T10:00:00+08:00"."""
    return moment.astimezone(zone).isoformat() if moment is not None else None


def _line(line: AgreementLine, codes: dict[int, str]) -> dict[str, Any]:
    item = {"indicator": codes[line.indicator_id], **_target(line)}
    quarters = [
        {"quarter": q.quarter, **_target(q), **_compact(action=q.action)}
        for q in line.quarterly_targets.all()
    ]
    return item | _compact(sort_order=line.sort_order or None, quarters=quarters)


def _individual(agency: Agency, year: int, codes: dict[int, str]) -> list[dict[str, Any]]:
    found = (
        IndividualIndicator.objects.filter(
            position__agency=agency,
            year=year,
            archived_at__isnull=True,
            employee__nip__isnull=False,
        )
        .select_related("employee", "position", "parent_line__agreement__position")
        .order_by("position__sort_order", "position__code", "employee__name", "pk")
    )
    return [
        {
            "nip": iki.employee.nip,
            "position": iki.position.code,
            "year": iki.year,
            "parent_position": iki.parent_line.agreement.position.code,
            "parent_indicator": codes[iki.parent_line.indicator_id],
            "parent_version": iki.parent_line.agreement.version,
            "name": iki.name,
            "unit_of_measure": iki.unit_of_measure,
            "polarity": iki.polarity,
            "aggregation": iki.aggregation,
            **_target(iki),
            **_compact(formula=iki.formula),
        }
        for iki in found
        if iki.parent_line.indicator_id in codes
    ]


def _employees(agency: Agency, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone the document names: the agency's staff and anyone else it refers to."""
    nips = {a["nip"] for a in data["assignments"]}
    nips |= {m["nip"] for team in data["teams"] for m in team["members"]}
    nips |= {i["nip"] for i in data["individual_indicators"]}
    for agreement in data["agreements"]:
        nips |= {agreement["holder_nip"], agreement.get("superior_nip")}
    employees = Employee.objects.filter(
        Q(nip__in=nips - {None}) | Q(assignments__position__agency=agency), nip__isnull=False
    ).distinct()
    return [
        _compact(nip=e.nip, name=e.name, rank=e.rank, grade=e.grade, email=e.email)
        for e in employees.order_by("name", "nip")
    ]
