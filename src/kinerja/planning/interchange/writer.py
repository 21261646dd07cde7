"""Writes a checked document: creates what is missing, updates what differs, deletes nothing.

Every row is matched by its natural key (codes within the agency, NIP, PK
position/year/version, …), so importing the same document twice changes
nothing. An update appends a ChangeRecord (action "import"). Some refusals can
only be seen while writing — a signed PK that would change, a government or an
employee the actor may not change — and are collected in `problems`; the caller
then rolls the whole transaction back. (Whether the actor may change the
organisation or the plans at all is decided by the caller from the counts.)
"""

import datetime
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import AccessDenied, KinerjaError
from kinerja.core.services import change_record_create, diff_fields
from kinerja.measurement.models import Realization
from kinerja.measurement.services import realization_record
from kinerja.organizations.access import ANONYMOUS, UserScope, access_employee_for_edit
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
from kinerja.planning.interchange.checks import agreement_key, individual_key
from kinerja.planning.interchange.document import Document, Item
from kinerja.planning.interchange.existing import Existing
from kinerja.planning.interchange.problems import ImportProblem
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

M = TypeVar("M", bound=models.Model)
AGREEMENT_KINDS = ("agreements", "agreement_lines", "quarterly_targets", "agreement_programs")


def _texts(item: Item, *keys: str, rename: dict[str, str] | None = None) -> dict[str, Any]:
    """The text fields the item gives (null clears to empty text), under their model names."""
    rename = rename or {}
    return {rename.get(key, key): item.get(key) or "" for key in keys if item.has(key)}


def _given(item: Item, *keys: str) -> dict[str, Any]:
    return {key: item.get(key) for key in keys if item.has(key)}


def _target(item: Item) -> dict[str, Any]:
    """A target is one value or a range: the three fields are always set together."""
    return {"value": item.get("value"), "low": item.get("low"), "high": item.get("high")}


def _tree_order(items: list[Item], parent_key: str) -> list[tuple[int, Item]]:
    """(index, item) with every item after its parent when the parent is in the list too."""
    by_code = {item.get("code"): (index, item) for index, item in enumerate(items)}
    done: set[str] = set()
    ordered: list[tuple[int, Item]] = []

    def visit(code: str) -> None:
        if code in done or code not in by_code:
            return
        done.add(code)
        index, item = by_code[code]
        if item.get(parent_key):
            visit(item.get(parent_key))
        ordered.append((index, item))

    for code in by_code:
        visit(code)
    return ordered


class Writer:
    def __init__(
        self,
        document: Document,
        existing: Existing,
        *,
        actor: UserScope | None,
    ) -> None:
        self.document = document
        self.existing = existing
        self.actor = actor
        self.problems: list[ImportProblem] = []
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.unchanged: Counter[str] = Counter()
        self.file_indicators: dict[str, Indicator] = {}

    # --- the generic upsert ------------------------------------------------------------------

    def save(
        self,
        kind: str,
        model: type[M],
        instance: M | None,
        values: dict[str, Any],
        *,
        create: dict[str, Any],
        path: str,
        guard: Callable[[M], str | None] | None = None,
    ) -> M:
        """Create from `create` + `values`, or apply `values` to `instance` and record it."""
        if instance is None:
            instance = model(**{**create, **values})
            instance.save()
            self.created[kind] += 1
            return instance
        changes = diff_fields(instance=instance, values=values)
        if not changes:
            self.unchanged[kind] += 1
            return instance
        refusal = guard(instance) if guard is not None else None
        if refusal:
            self.problems.append(ImportProblem(path, refusal))
            return instance
        for field, (_old, new) in changes.items():
            setattr(instance, field, new)
        fields = list(changes)
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            fields.append("updated_at")
        instance.save(update_fields=fields)
        change_record_create(
            instance=instance,
            action="import",
            user_id=self.actor.user_id if self.actor else None,
            changes=changes,
        )
        self.updated[kind] += 1
        return instance

    def _is_government_admin(self, government_id: int) -> bool:
        actor = self.actor
        return actor is None or actor.is_superuser or government_id in actor.admin_government_ids

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> None:
        government = self.government()
        agency = self.agency(government)
        self.units(agency)
        self.positions(agency)
        self.employees()
        self.assignments()
        self.teams(agency)
        plan = self.plan(agency)
        if plan is not None:
            self.goals(plan)
            self.objectives(plan)
            self.indicators()
            self.annual_targets()
        self.agreements()
        self.individual_indicators()
        self.realizations()

    def government(self) -> Government:
        item, existing = self.document.government, self.existing
        if item is None:
            assert existing.agency is not None  # the checks demand a government otherwise
            return existing.agency.government
        values = {**_given(item, "level", "time_zone"), **_texts(item, "name", "capital")}
        if item.has("parent_code"):
            parent = existing.parent_government if item.get("parent_code") else None
            values["parent_id"] = parent.pk if parent else None

        def guard(government: Government) -> str | None:
            if self._is_government_admin(government.pk):
                return None
            return _("Only the administrator of this government may change its data.")

        existing.government = self.save(
            "government",
            Government,
            existing.government,
            values,
            create={"code": item.get("code")},
            path="government",
            guard=guard,
        )
        return existing.government

    def agency(self, government: Government) -> Agency:
        item = self.document.agency
        values = {
            **_texts(item, "name", "short_name", "address", "phone", "email", "website"),
            **_given(item, "kind", "is_coordinating"),
        }

        def guard(agency: Agency) -> str | None:
            if self._is_government_admin(agency.government_id):
                return None
            return _("Only the administrator of this government may change the agency's identity.")

        agency = self.save(
            "agency",
            Agency,
            self.existing.agency,
            values,
            create={"code": item.get("code"), "government_id": government.pk},
            path="agency",
            guard=guard,
        )
        agency.government = government
        self.existing.agency = agency
        return agency

    def units(self, agency: Agency) -> None:
        units = self.existing.units
        for index, item in _tree_order(self.document["units"], "parent"):
            values = {**_given(item, "kind", "sort_order"), **_texts(item, "name")}
            if item.has("parent"):
                values["parent_id"] = units[item.get("parent")].pk if item.get("parent") else None
            code = item.get("code")
            units[code] = self.save(
                "units",
                OrgUnit,
                units.get(code),
                values,
                create={"agency_id": agency.pk, "code": code, "sort_order": index + 1},
                path=item.path,
            )

    def positions(self, agency: Agency) -> None:
        positions, units = self.existing.positions, self.existing.units
        for index, item in _tree_order(self.document["positions"], "superior"):
            values = {**_given(item, "role_key", "sort_order"), **_texts(item, "title", "echelon")}
            if item.has("unit"):
                values["unit_id"] = units[item.get("unit")].pk if item.get("unit") else None
            if item.has("superior"):
                superior = item.get("superior")
                values["superior_id"] = positions[superior].pk if superior else None
            code = item.get("code")
            positions[code] = self.save(
                "positions",
                Position,
                positions.get(code),
                values,
                create={"agency_id": agency.pk, "code": code, "sort_order": index + 1},
                path=item.path,
            )

    def employees(self) -> None:
        employees = self.existing.employees

        def guard(employee: Employee) -> str | None:
            if self.actor is None:
                return None
            try:
                access_employee_for_edit(self.actor, employee)
            except AccessDenied:
                return _(
                    "Only the Sekretariat or the Kasubbag Umum of an agency this employee "
                    "works in may change their data."
                )
            return None

        for item in self.document["employees"]:
            nip = item.get("nip")
            employees[nip] = self.save(
                "employees",
                Employee,
                employees.get(nip),
                _texts(item, "name", "rank", "grade", "email"),
                create={"nip": nip},
                path=item.path,
                guard=guard,
            )

    def assignments(self) -> None:
        existing = self.existing
        for item in self.document["assignments"]:
            key = (item.get("nip"), item.get("position"), item.get("kind"), item.get("start_date"))
            existing.assignments[key] = self.save(
                "assignments",
                Assignment,
                existing.assignments.get(key),
                {**_given(item, "end_date"), **_texts(item, "decree_number")},
                create={
                    "employee_id": existing.employees[key[0]].pk,
                    "position_id": existing.positions[key[1]].pk,
                    "kind": key[2],
                    "start_date": key[3],
                },
                path=item.path,
            )

    def teams(self, agency: Agency) -> None:
        existing = self.existing
        for item in self.document["teams"]:
            key = (item.get("kind"), item.get("name"), item.get("year"))
            team = self.save(
                "teams",
                Team,
                existing.teams.get(key),
                _texts(item, "decree_number"),
                create={"agency_id": agency.pk, "kind": key[0], "name": key[1], "year": key[2]},
                path=item.path,
            )
            existing.teams[key] = team
            for member in item.items("members"):
                employee = existing.employees[member.get("nip")]
                self.save(
                    "team_members",
                    TeamMember,
                    existing.members.get((team.pk, employee.pk)),
                    _given(member, "role"),
                    create={"team_id": team.pk, "employee_id": employee.pk},
                    path=member.path,
                )

    # --- Renstra -----------------------------------------------------------------------------

    def plan(self, agency: Agency) -> StrategicPlan | None:
        item = self.document.plan
        if item is None:
            return None
        self.existing.plan = self.save(
            "strategic_plan",
            StrategicPlan,
            self.existing.plan,
            {**_given(item, "end_year"), **_texts(item, "title", "decree_number")},
            create={"agency_id": agency.pk, "start_year": item.get("start_year")},
            path="strategic_plan",
        )
        return self.existing.plan

    def goals(self, plan: StrategicPlan) -> None:
        goals = self.existing.goals
        for index, item in enumerate(self.document["goals"]):
            code = item.get("code")
            goals[code] = self.save(
                "goals",
                Goal,
                goals.get(code),
                {**_texts(item, "statement"), **_given(item, "sort_order")},
                create={"plan_id": plan.pk, "code": code, "sort_order": index + 1},
                path=item.path,
            )

    def objectives(self, plan: StrategicPlan) -> None:
        existing = self.existing
        objectives = existing.objectives
        for index, item in _tree_order(self.document["objectives"], "parent"):
            values = {**_texts(item, "statement"), **_given(item, "level", "sort_order")}
            for key, field, found in (
                ("goal", "goal_id", existing.goals),
                ("parent", "parent_id", objectives),
                ("unit", "unit_id", existing.units),
            ):
                if item.has(key):
                    values[field] = found[item.get(key)].pk if item.get(key) else None
            code = item.get("code")
            objectives[code] = self.save(
                "objectives",
                Objective,
                objectives.get(code),
                values,
                create={"plan_id": plan.pk, "code": code, "sort_order": index + 1},
                path=item.path,
            )

    def indicators(self) -> None:
        existing = self.existing
        for index, item in enumerate(self.document["indicators"]):
            code = item.get("code")
            objective = existing.objectives[item.get("objective")]
            found = existing.indicators.get(code, [])
            instance = next((i for i in found if i.objective_id == objective.pk), None)
            if instance is None and len(found) == 1:
                instance = found[0]  # the indicator moved to another objective
            values = {
                "objective_id": objective.pk,
                **_texts(
                    item,
                    "name",
                    "unit_of_measure",
                    "definition",
                    "formula",
                    "numerator",
                    "denominator",
                    "data_source",
                    rename={"numerator": "numerator_label", "denominator": "denominator_label"},
                ),
                **_given(
                    item,
                    "polarity",
                    "aggregation",
                    "is_key",
                    "evidence_required",
                    "baseline",
                    "sort_order",
                ),
            }
            if item.has("responsible_unit"):
                unit = item.get("responsible_unit")
                values["responsible_unit_id"] = existing.units[unit].pk if unit else None
            self.file_indicators[code] = self.save(
                "indicators",
                Indicator,
                instance,
                values,
                create={"code": code, "sort_order": index + 1},
                path=item.path,
            )

    def indicator(self, code: str) -> Indicator:
        found = self.file_indicators.get(code) or self.existing.indicator(code)
        assert found is not None  # the checks resolved every reference
        return found

    def annual_targets(self) -> None:
        targets = self.existing.annual_targets
        for item in self.document["annual_targets"]:
            indicator = self.indicator(item.get("indicator"))
            key = (indicator.pk, item.get("year"))
            targets[key] = self.save(
                "annual_targets",
                AnnualTarget,
                targets.get(key),
                _target(item),
                create={"indicator_id": indicator.pk, "year": item.get("year")},
                path=item.path,
            )

    # --- PK ------------------------------------------------------------------------------------

    def agreements(self) -> None:
        titles = _Titles(self.existing)
        for item in sorted(self.document["agreements"], key=agreement_key):
            stored = self.existing.agreements.get(agreement_key(item))
            was_signed = stored is not None and stored.status == PerformanceAgreement.Status.SIGNED
            before = sum(self.created[k] + self.updated[k] for k in AGREEMENT_KINDS)
            agreement = self.agreement(item, stored, titles)
            if was_signed and before != sum(
                self.created[k] + self.updated[k] for k in AGREEMENT_KINDS
            ):
                self.problems.append(
                    ImportProblem(
                        item.path,
                        _(
                            "Version %(version)d of this PK is signed and cannot be changed; "
                            "bring the changes as a new version (PK Perubahan)."
                        )
                        % {"version": agreement.version},
                    )
                )

    def agreement(
        self, item: Item, stored: PerformanceAgreement | None, titles: "_Titles"
    ) -> PerformanceAgreement:
        existing = self.existing
        key = position_code, year, version = agreement_key(item)
        position = existing.positions[position_code]
        day = item.get("effective_date")
        holder = existing.employees[item.get("holder_nip")]
        values: dict[str, Any] = {
            "effective_date": day,
            "holder_id": holder.pk,
            **_given(item, "status"),
            **_texts(
                item,
                "place",
                "revision_reason",
                "holder_title",
                "superior_title",
                "superior_name",
                "superior_external_nip",
                rename={"superior_external_nip": "superior_nip"},
            ),
        }
        if version > 1:
            values["supersedes_id"] = existing.agreements[(position_code, year, version - 1)].pk
        if item.has("superior_nip"):
            nip = item.get("superior_nip")
            values["superior_id"] = existing.employees[nip].pk if nip else None
        elif stored is None:
            values["superior_id"] = titles.superior(position, day)
        values |= self._signing_time(item, stored, values.get("status"))
        if "holder_title" not in values and (
            stored is None or (stored.holder_id, stored.effective_date) != (holder.pk, day)
        ):
            values["holder_title"] = titles.holder_title(position, holder.pk, day)
        superior_id = values.get("superior_id", stored.superior_id if stored else None)
        if "superior_title" not in values and (stored is None or stored.superior_id != superior_id):
            values["superior_title"] = titles.superior_title(position, superior_id, day)
        if superior_id is not None:
            # An employee is the second party: an earlier external one no longer applies.
            values |= {"superior_name": "", "superior_nip": ""}
        agreement = self.save(
            "agreements",
            PerformanceAgreement,
            stored,
            values,
            create={"position_id": position.pk, "year": year, "version": version},
            path=item.path,
        )
        existing.agreements[key] = agreement
        for index, line in enumerate(item.items("lines")):
            self.agreement_line(agreement, index, line)
        for index, program in enumerate(item.items("programs")):
            found = existing.programs.get((agreement.pk, program.get("name")))
            existing.programs[(agreement.pk, program.get("name"))] = self.save(
                "agreement_programs",
                AgreementProgram,
                found,
                _given(program, "budget", "sort_order"),
                create={
                    "agreement_id": agreement.pk,
                    "name": program.get("name"),
                    "sort_order": index + 1,
                },
                path=program.path,
            )
        return agreement

    def _signing_time(
        self, item: Item, stored: PerformanceAgreement | None, status: str | None
    ) -> dict[str, datetime.datetime | None]:
        """`signed_at` as given (local time when naive); else now, when the import signs the PK."""
        signed = PerformanceAgreement.Status.SIGNED
        if item.has("signed_at"):
            value = item.get("signed_at")
            if value is not None and timezone.is_naive(value):
                assert self.existing.agency is not None  # written before the agreements
                zone = ZoneInfo(self.existing.agency.government.time_zone)
                value = timezone.make_aware(value, zone)
            return {"signed_at": value}
        was_signed = stored is not None and stored.status == signed
        if status == signed and not was_signed:
            return {"signed_at": timezone.now().replace(microsecond=0)}
        return {}

    def agreement_line(self, agreement: PerformanceAgreement, index: int, item: Item) -> None:
        existing = self.existing
        indicator = self.indicator(item.get("indicator"))
        key = (agreement.pk, indicator.pk)
        line = self.save(
            "agreement_lines",
            AgreementLine,
            existing.lines.get(key),
            {"objective_id": indicator.objective_id, **_target(item), **_given(item, "sort_order")},
            create={
                "agreement_id": agreement.pk,
                "indicator_id": indicator.pk,
                "sort_order": index + 1,
            },
            path=item.path,
        )
        line.indicator = indicator
        existing.lines[key] = line
        for quarter in item.items("quarters"):
            number = quarter.get("quarter")
            existing.quarters[(line.pk, number)] = self.save(
                "quarterly_targets",
                QuarterlyTarget,
                existing.quarters.get((line.pk, number)),
                {**_target(quarter), **_texts(quarter, "action")},
                create={"line_id": line.pk, "quarter": number},
                path=quarter.path,
            )

    # --- IKI and realisasi ---------------------------------------------------------------------

    def individual_indicators(self) -> None:
        existing = self.existing
        for item in self.document["individual_indicators"]:
            employee = existing.employees[item.get("nip")]
            position = existing.positions[item.get("position")]
            key = individual_key(item, employee.pk, position.pk)
            stored = existing.individual.get(key)
            values = {
                **_texts(item, "unit_of_measure", "formula"),
                **_given(item, "polarity", "aggregation"),
                **_target(item),
            }
            if item.has("parent_version") or stored is None:
                values["parent_line_id"] = self._parent_line(item).pk
            existing.individual[key] = self.save(
                "individual_indicators",
                IndividualIndicator,
                stored,
                values,
                create={
                    "employee_id": employee.pk,
                    "position_id": position.pk,
                    "year": item.get("year"),
                    "name": item.get("name"),
                },
                path=item.path,
            )

    def _parent_line(self, item: Item) -> AgreementLine:
        position, year = item.get("parent_position"), item.get("year")
        version = item.get("parent_version") or max(
            v for (p, y, v) in self.existing.agreements if (p, y) == (position, year)
        )
        agreement = self.existing.agreements[(position, year, version)]
        indicator = self.indicator(item.get("parent_indicator"))
        return self.existing.lines[(agreement.pk, indicator.pk)]

    def realizations(self) -> None:
        actor = self.actor or ANONYMOUS
        for item in self.document["realizations"]:
            indicator = self.indicator(item.get("indicator"))
            year, quarter = item.get("year"), item.get("quarter")
            current = self.existing.realizations.get((indicator.pk, year, quarter))
            numbers = {
                key: item.get(key) if item.has(key) else getattr(current, key, None)
                for key in ("value", "numerator", "denominator")
            }
            if current is not None and all(
                getattr(current, key) == number for key, number in numbers.items()
            ):
                self.unchanged["realizations"] += 1
                continue
            try:
                realization_record(
                    actor=actor,
                    indicator=indicator,
                    year=year,
                    quarter=quarter,
                    source=Realization.Source.IMPORT,
                    note=_("Imported from a planning file."),
                    check_access=False,
                    **numbers,
                )
            except KinerjaError as exc:  # e.g. someone recorded the same quarter meanwhile
                self.problems.append(ImportProblem(item.path, exc.message))
                continue
            (self.created if current is None else self.updated)["realizations"] += 1


class _Titles:
    """The parties' titles on a PK, from the positions and who holds them on the effective date.

    An acting holder's title is prefixed "Plt. "/"Plh. "; when several
    assignments overlap, a Plh comes before a Plt before the definitive holder.
    """

    def __init__(self, existing: Existing) -> None:
        self.positions = {position.pk: position for position in existing.positions.values()}
        self.assignments = [a for a in existing.assignments.values() if a.archived_at is None]

    def _active(self, day: datetime.date, **match: int) -> Assignment | None:
        found = [
            a
            for a in self.assignments
            if a.start_date <= day
            and (a.end_date is None or a.end_date >= day)
            and all(getattr(a, key) == value for key, value in match.items())
        ]
        return min(
            found,
            key=lambda a: (
                Assignment.PRECEDENCE[Assignment.Kind(a.kind)],
                -a.start_date.toordinal(),
            ),
            default=None,
        )

    def holder_title(self, position: Position, employee_id: int, day: datetime.date) -> str:
        own = self._active(day, position_id=position.pk, employee_id=employee_id)
        return (own.title_prefix if own else "") + position.title

    def superior(self, position: Position, day: datetime.date) -> int | None:
        """Who acts for the position's direct superior on `day` (the PK's second party)."""
        if position.superior_id is None:
            return None
        acting = self._active(day, position_id=position.superior_id)
        return acting.employee_id if acting else None

    def superior_title(
        self, position: Position, employee_id: int | None, day: datetime.date
    ) -> str:
        superior = self.positions.get(position.superior_id or 0)
        if employee_id is not None:
            own = None
            if superior is not None:
                own = self._active(day, position_id=superior.pk, employee_id=employee_id)
            own = own or self._active(day, employee_id=employee_id)
            if own is not None:
                return own.title_prefix + self.positions[own.position_id].title
        return superior.title if superior is not None else ""
