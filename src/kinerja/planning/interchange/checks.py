"""The meaning of a document: references, duplicates, target rules. Collects every problem.

References resolve against the document first and then against what the
database already holds for the agency (`Existing`), so a file may bring only
the PK of a year and still name units, positions and indicators imported
before.
"""

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kinerja.core.domain.numbers import format_number
from kinerja.planning.domain.action_plan import Issue, PlanAggregation, PlanProblem, Target
from kinerja.planning.domain.agreement_rules import TargetProblem, line_issues, target_problems
from kinerja.planning.interchange.document import Document, Item
from kinerja.planning.interchange.existing import Existing
from kinerja.planning.interchange.problems import ImportProblem

QUARTER_NAMES = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}
PLAN_LISTS = (
    "goals",
    "objectives",
    "indicators",
    "annual_targets",
    "individual_indicators",
    "realizations",
)


def agreement_key(item: Item) -> tuple[str, int, int]:
    return (item.get("position"), item.get("year"), item.get("version") or 1)


class Checker:
    """Runs every semantic check of one document; `problems` holds what it found."""

    def __init__(self, document: Document, existing: Existing) -> None:
        self.document = document
        self.existing = existing
        self.problems: list[ImportProblem] = []
        self.unit_codes: set[str] = set(existing.units)
        self.position_codes: set[str] = set(existing.positions)
        self.position_superior: dict[str, str | None] = {}
        self.nips: set[str] = set(existing.employees)
        self.goal_codes: set[str] = set(existing.goals)
        self.objective_codes: set[str] = set(existing.objectives)
        #: indicator code → (polarity, aggregation)
        self.indicator_rules: dict[str, tuple[str, str]] = {}
        self.plan_years: range | None = None

    def add(self, path: str, message: str) -> None:
        self.problems.append(ImportProblem(path, message))

    def run(self) -> list[ImportProblem]:
        self.government_and_agency()
        self.units()
        self.positions()
        self.employees()
        self.assignments()
        self.teams()
        self.plan()
        self.goals()
        self.objectives()
        self.indicators()
        self.annual_targets()
        self.agreements()
        self.individual_indicators()
        self.realizations()
        return self.problems

    # --- helpers -------------------------------------------------------------------------

    def unique(self, items: Iterable[Item], key: Callable[[Item], Hashable], where: str) -> None:
        """Report each item whose natural key repeats an earlier item's."""
        seen: dict[Hashable, Item] = {}
        for item in items:
            value = key(item)
            if value in seen:
                self.add(
                    item.at(where),
                    _("Duplicate: %(path)s already has the same key.") % {"path": seen[value].path},
                )
            else:
                seen[value] = item

    def known(self, item: Item, key: str, codes: set[str], message: str) -> bool:
        """Whether the reference in `key` (when given) names something known; reports it if not."""
        value = item.get(key)
        if value and value not in codes:
            self.add(item.at(key), message % {"code": value})
            return False
        return True

    def employee(self, item: Item, key: str) -> None:
        self.known(item, key, self.nips, _("Unknown NIP %(code)s: add the employee to employees."))

    def email(self, item: Item) -> None:
        if item.get("email"):
            try:
                validate_email(item.get("email"))
            except ValidationError:
                self.add(item.at("email"), _("Enter a valid e-mail address."))

    def in_plan(self, item: Item) -> None:
        if self.plan_years is not None and item.get("year") not in self.plan_years:
            self.add(
                item.at("year"),
                _("The year is outside the Renstra (%(start)d–%(end)d).")
                % {"start": self.plan_years.start, "end": self.plan_years.stop - 1},
            )

    def no_cycles(
        self, items: list[Item], parents: dict[str, str | None], key: str, message: str
    ) -> None:
        for item in items:
            code = item.get("code")
            current, seen = parents.get(code), {code}
            while current is not None and current not in seen:
                seen.add(current)
                current = parents.get(current)
            if current == code:
                self.add(item.at(key), message)

    def indicator(self, item: Item, key: str) -> tuple[str, str] | None:
        """(polarity, aggregation) of the referenced indicator, or None (reported)."""
        code = item.get(key)
        if code in self.indicator_rules:
            return self.indicator_rules[code]
        if len(self.existing.indicators.get(code, [])) > 1:
            self.add(
                item.at(key),
                _(
                    "Several indicators of the Renstra have the code %(code)s; "
                    "list the indicator in indicators with its objective."
                )
                % {"code": code},
            )
        else:
            self.add(item.at(key), _("Unknown indicator %(code)s.") % {"code": code})
        return None

    def target(self, item: Item, polarity: str, *, required: bool = True) -> bool:
        """Check the shape of a target (value, or low and high); True when it is sound."""
        found = target_problems(
            is_range=polarity == "range",
            value=item.get("value"),
            low=item.get("low"),
            high=item.get("high"),
            required=required,
        )
        for problem in found:
            self.add(*self._target_message(item, problem))
        return not found

    def _target_message(self, item: Item, problem: TargetProblem) -> tuple[str, str]:
        if problem is TargetProblem.VALUE_REQUIRED:
            return item.at("value"), _("The target (value) is required.")
        if problem is TargetProblem.BOUNDS_REQUIRED:
            missing = "low" if item.get("low") is None else "high"
            return item.at(missing), _(
                "A range indicator needs a lower and an upper bound (low and high)."
            )
        if problem is TargetProblem.VALUE_NOT_ALLOWED:
            return item.at("value"), _(
                "This is a range indicator: give low and high instead of value."
            )
        if problem is TargetProblem.BOUNDS_NOT_ALLOWED:
            key = "low" if item.get("low") is not None else "high"
            return item.at(key), _("Only range indicators take low and high; give value.")
        if problem is TargetProblem.NEGATIVE:
            return item.path, _("A target may not be negative.")
        return item.at("low"), _("The lower bound is above the upper bound.")

    # --- organisation --------------------------------------------------------------------

    def government_and_agency(self) -> None:
        government, agency, existing = self.document.government, self.document.agency, self.existing
        if government is not None:
            if existing.government is None:
                for key in ("name", "level", "time_zone"):
                    if not government.get(key):
                        self.add(government.at(key), _("Required to create a new government."))
            owner = existing.government_name_owner
            if owner is not None and owner.code != government.get("code"):
                self.add(government.at("name"), _("Another government already has this name."))
            parent_code = government.get("parent_code")
            if parent_code and parent_code == government.get("code"):
                self.add(
                    government.at("parent_code"), _("A government cannot be its own province.")
                )
            elif parent_code and existing.parent_government is None:
                self.add(government.at("parent_code"), _("Unknown government code."))
        if existing.agency is None:
            if government is None:
                self.add("government", _("Required to create a new agency."))
            for key in ("name", "short_name", "kind"):
                if not agency.get(key):
                    self.add(agency.at(key), _("Required to create a new agency."))
        elif government is not None and existing.agency.government.code != government.get("code"):
            self.add(
                agency.at("code"),
                _("This agency belongs to another government (%(name)s).")
                % {"name": existing.agency.government.name},
            )
        owner_agency = existing.agency_name_owner
        if owner_agency is not None and owner_agency.code != agency.get("code"):
            self.add(agency.at("name"), _("This government already has an agency with this name."))
        self.email(agency)

    def units(self) -> None:
        items = self.document["units"]
        self.unique(items, lambda i: i.get("code"), "code")
        self.unit_codes |= {item.get("code") for item in items}
        by_id = {unit.pk: code for code, unit in self.existing.units.items()}
        parents = {
            code: by_id.get(unit.parent_id or 0) for code, unit in self.existing.units.items()
        }
        for item in items:
            if item.has("parent"):
                parents[item.get("code")] = item.get("parent")
            self.known(item, "parent", self.unit_codes, _("Unknown unit %(code)s."))
        self.no_cycles(
            items,
            parents,
            "parent",
            _("A unit cannot be placed under itself or one of its sub-units."),
        )

    def positions(self) -> None:
        items = self.document["positions"]
        self.unique(items, lambda i: i.get("code"), "code")
        self.position_codes |= {item.get("code") for item in items}
        by_id = {position.pk: code for code, position in self.existing.positions.items()}
        superiors = {
            code: by_id.get(position.superior_id or 0)
            for code, position in self.existing.positions.items()
        }
        for item in items:
            if item.has("superior"):
                superiors[item.get("code")] = item.get("superior")
            self.known(item, "unit", self.unit_codes, _("Unknown unit %(code)s."))
            self.known(item, "superior", self.position_codes, _("Unknown position %(code)s."))
        self.no_cycles(
            items,
            superiors,
            "superior",
            _("A position cannot report to itself or to one of its subordinates."),
        )
        self.position_superior = superiors

    def employees(self) -> None:
        items = self.document["employees"]
        self.unique(items, lambda i: i.get("nip"), "nip")
        self.nips |= {item.get("nip") for item in items}
        for item in items:
            self.email(item)

    def assignments(self) -> None:
        items = self.document["assignments"]
        self.unique(
            items,
            lambda i: (i.get("nip"), i.get("position"), i.get("kind"), i.get("start_date")),
            "start_date",
        )
        for item in items:
            self.employee(item, "nip")
            self.known(item, "position", self.position_codes, _("Unknown position %(code)s."))
            start, end = item.get("start_date"), item.get("end_date")
            if start and end and end < start:
                self.add(item.at("end_date"), _("The end date is before the start date."))

    def teams(self) -> None:
        items = self.document["teams"]
        self.unique(items, lambda i: (i.get("kind"), i.get("name"), i.get("year")), "name")
        for item in items:
            members = item.items("members")
            self.unique(members, lambda m: m.get("nip"), "nip")
            for member in members:
                self.employee(member, "nip")

    # --- Renstra -------------------------------------------------------------------------

    def plan(self) -> None:
        plan = self.document.plan
        needs_plan = any(self.document[name] for name in PLAN_LISTS) or any(
            agreement.items("lines") for agreement in self.document["agreements"]
        )
        if plan is None:
            if needs_plan:
                self.add(
                    "strategic_plan",
                    _(
                        "Required: goals, objectives, indicators, targets, PK lines, IKI and "
                        "realisasi belong to a Renstra."
                    ),
                )
            return
        start, end = plan.get("start_year"), plan.get("end_year")
        if end < start:
            self.add(plan.at("end_year"), _("The last year must not be before the first year."))
        else:
            self.plan_years = range(start, end + 1)

    def goals(self) -> None:
        items = self.document["goals"]
        self.unique(items, lambda i: i.get("code"), "code")
        self.goal_codes |= {item.get("code") for item in items}

    def objectives(self) -> None:
        items = self.document["objectives"]
        self.unique(items, lambda i: i.get("code"), "code")
        self.objective_codes |= {item.get("code") for item in items}
        by_id = {o.pk: code for code, o in self.existing.objectives.items()}
        parents = {
            code: by_id.get(o.parent_id or 0) for code, o in self.existing.objectives.items()
        }
        for item in items:
            if item.has("parent"):
                parents[item.get("code")] = item.get("parent")
            self.known(item, "goal", self.goal_codes, _("Unknown goal %(code)s."))
            self.known(item, "parent", self.objective_codes, _("Unknown objective %(code)s."))
            self.known(item, "unit", self.unit_codes, _("Unknown unit %(code)s."))
        self.no_cycles(
            items,
            parents,
            "parent",
            _("An objective cannot cascade from itself or from one of its sub-objectives."),
        )

    def indicators(self) -> None:
        items = self.document["indicators"]
        self.unique(items, lambda i: i.get("code"), "code")
        for code, found in self.existing.indicators.items():
            if len(found) == 1:
                self.indicator_rules[code] = (found[0].polarity, found[0].aggregation)
        for item in items:
            self.indicator_rules[item.get("code")] = (item.get("polarity"), item.get("aggregation"))
            self.known(item, "objective", self.objective_codes, _("Unknown objective %(code)s."))
            self.known(item, "responsible_unit", self.unit_codes, _("Unknown unit %(code)s."))

    def annual_targets(self) -> None:
        items = self.document["annual_targets"]
        self.unique(items, lambda i: (i.get("indicator"), i.get("year")), "year")
        for item in items:
            self.in_plan(item)
            info = self.indicator(item, "indicator")
            if info is not None:
                self.target(item, info[0])

    # --- PK, Rencana Aksi, IKI, realisasi --------------------------------------------------

    def agreements(self) -> None:
        items = self.document["agreements"]
        self.unique(items, agreement_key, "version")
        keys = {agreement_key(item) for item in items} | set(self.existing.agreements)
        for item in items:
            self.known(item, "position", self.position_codes, _("Unknown position %(code)s."))
            self.employee(item, "holder_nip")
            self.employee(item, "superior_nip")
            self.external_party(item)
            self.signing_time(item)
            position, year, version = agreement_key(item)
            if version > 1 and (position, year, version - 1) not in keys:
                self.add(
                    item.at("version"),
                    _(
                        "Version %(previous)d of this PK is missing: a PK Perubahan revises the "
                        "previous version."
                    )
                    % {"previous": version - 1},
                )
            lines = item.items("lines")
            if lines:
                self.in_plan(item)
            self.unique(lines, lambda line: line.get("indicator"), "indicator")
            for line in lines:
                self.agreement_line(line)
            programs = item.items("programs")
            self.unique(programs, lambda program: program.get("name"), "name")
            for program in programs:
                budget = program.get("budget")
                if budget is not None and budget < 0:
                    self.add(program.at("budget"), _("The budget may not be negative."))

    def external_party(self, item: Item) -> None:
        """A second party from outside Kinerja only where no employee is the second party.

        Without `superior_nip`, a new PK's second party is derived from the
        position's direct superior, so a position with a superior needs an
        explicit `superior_nip: null` to take an external second party instead.
        """
        given = [key for key in ("superior_name", "superior_external_nip") if item.get(key)]
        if not given:
            return
        stored = self.existing.agreements.get(agreement_key(item))
        if item.has("superior_nip"):
            has_employee = item.get("superior_nip") is not None
        elif stored is not None:
            has_employee = stored.superior_id is not None
        else:
            has_employee = self.position_superior.get(item.get("position")) is not None
        if has_employee:
            self.add(
                item.at(given[0]),
                _(
                    "An employee is this PK's second party; a second party from outside Kinerja "
                    "(superior_name) is only for a PK without one: set superior_nip to null."
                ),
            )
            return
        name = item.get("superior_name") if item.has("superior_name") else None
        if name is None and stored is not None:
            name = stored.superior_name
        if item.get("superior_external_nip") and not name:
            self.add(
                item.at("superior_name"),
                _("Give the name of the second party whose NIP is in superior_external_nip."),
            )

    def signing_time(self, item: Item) -> None:
        if item.get("signed_at") is None:
            return
        stored = self.existing.agreements.get(agreement_key(item))
        status = item.get("status") or (stored.status if stored is not None else "draft")
        if status != "signed":
            self.add(
                item.at("signed_at"),
                _("Only a signed PK has a signing time: set status to signed or leave it out."),
            )

    def agreement_line(self, line: Item) -> None:
        info = self.indicator(line, "indicator")
        if info is None:
            return
        polarity, aggregation = info
        line_ok = self.target(line, polarity)
        quarters = line.items("quarters")
        if not quarters:
            return
        self.unique(quarters, lambda q: q.get("quarter"), "quarter")
        shapes_ok = all([self.target(quarter, polarity, required=False) for quarter in quarters])
        if not (line_ok and shapes_ok):
            return
        by_number = {quarter.get("quarter"): quarter for quarter in quarters}
        targets = {
            number: Target(value=q.get("value"), low=q.get("low"), high=q.get("high"))
            for number, q in by_number.items()
        }
        year_target = Target(value=line.get("value"), low=line.get("low"), high=line.get("high"))
        _mismatched, issues = line_issues(
            year_target=year_target, quarters=targets, aggregation=PlanAggregation(aggregation)
        )
        for issue in issues:
            self.add(*self._issue(line, by_number, issue))

    def _issue(self, line: Item, quarters: dict[int, Item], issue: Issue) -> tuple[str, str]:
        quarter = quarters.get(issue.quarter or 0)
        name = QUARTER_NAMES.get(issue.quarter or 0, "")
        where = quarter.at("value") if quarter is not None else line.at("quarters")
        if issue.problem is PlanProblem.MISSING_QUARTER:
            return where, _("The %(quarter)s target is missing.") % {"quarter": name}
        if issue.problem is PlanProblem.NEGATIVE:
            return where, _("The %(quarter)s target may not be negative.") % {"quarter": name}
        if issue.problem is PlanProblem.RANGE_INVERTED:
            return where, _("In %(quarter)s the lower bound is above the upper bound.") % {
                "quarter": name
            }
        numbers = {"actual": format_number(issue.actual), "expected": format_number(issue.expected)}
        if issue.problem is PlanProblem.SUM_MISMATCH:
            return line.at("quarters"), _(
                "The quarterly targets add up to %(actual)s, but the year's target is "
                "%(expected)s (cumulative indicator: TW I–IV must add up to the year)."
            ) % numbers
        return where, _(
            "The TW IV target is %(actual)s, but it must equal the year's target %(expected)s "
            "(the year is judged on its last quarter)."
        ) % numbers

    def individual_indicators(self) -> None:
        items = self.document["individual_indicators"]
        self.unique(
            items,
            lambda i: (
                i.get("nip"),
                i.get("position"),
                i.get("year"),
                i.get("parent_position"),
                i.get("parent_indicator"),
                i.get("name"),
            ),
            "name",
        )
        line_codes = self._agreement_indicator_codes()
        for item in items:
            self.employee(item, "nip")
            self.in_plan(item)
            position_ok = self.known(
                item, "position", self.position_codes, _("Unknown position %(code)s.")
            )
            parent_ok = self.known(
                item, "parent_position", self.position_codes, _("Unknown position %(code)s.")
            )
            if position_ok and parent_ok:
                superior = self.position_superior.get(item.get("position"))
                if superior != item.get("parent_position"):
                    self.add(item.at("parent_position"), self._not_superior(superior))
            if self.indicator(item, "parent_indicator") is not None and parent_ok:
                self._parent_line(item, line_codes)
            self.target(item, self._individual_polarity(item))

    def _not_superior(self, superior: str | None) -> str:
        if superior is None:
            return _("The position has no direct superior, so its IKI cannot cascade from a PK.")
        return _("Must be the position's direct superior (%(code)s).") % {"code": superior}

    def _agreement_indicator_codes(self) -> dict[tuple[str, int, int], set[str]]:
        """PK key → codes of the indicators in its lines (database and document together)."""
        codes: dict[tuple[str, int, int], set[str]] = {
            key: set() for key in self.existing.agreements
        }
        indicator_code = {
            indicator.pk: code
            for code, found in self.existing.indicators.items()
            for indicator in found
        }
        agreement_keys = {a.pk: key for key, a in self.existing.agreements.items()}
        for agreement_id, indicator_id in self.existing.lines:
            codes[agreement_keys[agreement_id]].add(indicator_code.get(indicator_id, ""))
        for agreement in self.document["agreements"]:
            codes.setdefault(agreement_key(agreement), set()).update(
                line.get("indicator") for line in agreement.items("lines")
            )
        return codes

    def _parent_line(self, item: Item, line_codes: dict[tuple[str, int, int], set[str]]) -> None:
        position, year = item.get("parent_position"), item.get("year")
        versions = sorted(v for (p, y, v) in line_codes if (p, y) == (position, year))
        if not versions:
            self.add(
                item.at("parent_position"),
                _("This position has no PK for %(year)d.") % {"year": year},
            )
            return
        version = item.get("parent_version") or versions[-1]
        if version not in versions:
            self.add(
                item.at("parent_version"),
                _("This PK version does not exist for %(year)d.") % {"year": year},
            )
        elif item.get("parent_indicator") not in line_codes[(position, year, version)]:
            self.add(
                item.at("parent_indicator"),
                _("The superior's PK (version %(version)d) has no line with this indicator.")
                % {"version": version},
            )

    def _individual_polarity(self, item: Item) -> str:
        if item.get("polarity"):
            return item.get("polarity")
        employee = self.existing.employees.get(item.get("nip"))
        position = self.existing.positions.get(item.get("position"))
        if employee is not None and position is not None:
            stored = self.existing.individual.get(individual_key(item, employee.pk, position.pk))
            if stored is not None:
                return stored.polarity
        return "higher"

    def realizations(self) -> None:
        items = self.document["realizations"]
        self.unique(
            items, lambda i: (i.get("indicator"), i.get("year"), i.get("quarter")), "quarter"
        )
        for item in items:
            self.in_plan(item)
            self.indicator(item, "indicator")
            if all(item.get(key) is None for key in ("value", "numerator", "denominator")):
                self.add(
                    item.at("value"),
                    _("Give the realisasi value (or its numerator and denominator)."),
                )


def individual_key(item: Item, employee_id: int, position_id: int) -> tuple[Any, ...]:
    """The natural key of an IKI as `Existing.individual` stores it."""
    return (
        employee_id,
        position_id,
        item.get("year"),
        item.get("parent_position"),
        item.get("parent_indicator"),
        item.get("name"),
    )
