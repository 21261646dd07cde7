"""Rencana Aksi consistency in words: the domain issues of a PK line as Indonesian messages.

Shared by the service that refuses to sign an inconsistent PK and by the pages
that show each line's problems next to its quarterly targets.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kinerja.core.domain.numbers import format_number
from kinerja.planning.domain.action_plan import Issue, PlanAggregation, PlanProblem, Target
from kinerja.planning.domain.agreement_rules import line_issues
from kinerja.planning.models import AgreementLine, QuarterlyTarget, TargetValue

QUARTER_NAMES = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


def as_target(target: TargetValue | None) -> Target:
    if target is None:
        return Target()
    return Target(value=target.value, low=target.low, high=target.high)


def format_target(target: Target) -> str:
    """ "85,5" or "10–20"; "–" when empty."""
    if target.is_range:
        return f"{format_number(target.low)}–{format_number(target.high)}"
    return format_number(target.value)


def _issue_message(issue: Issue) -> str:
    quarter = QUARTER_NAMES.get(issue.quarter or 0, "")
    expected = format_number(issue.expected)
    actual = format_number(issue.actual)
    if issue.problem is PlanProblem.MISSING_QUARTER:
        return _("The %(quarter)s target is missing.") % {"quarter": quarter}
    if issue.problem is PlanProblem.NEGATIVE:
        return _("The %(quarter)s target may not be negative.") % {"quarter": quarter}
    if issue.problem is PlanProblem.RANGE_INVERTED:
        return _("In %(quarter)s the lower bound is above the upper bound.") % {"quarter": quarter}
    if issue.problem is PlanProblem.SUM_MISMATCH:
        return _(
            "The quarterly targets add up to %(actual)s, but the year's target is %(expected)s "
            "(cumulative indicator: TW I–IV must add up to the year)."
        ) % {"actual": actual, "expected": expected}
    return _(
        "The TW IV target is %(actual)s, but it must equal the year's target %(expected)s "
        "(the year is judged on its last quarter)."
    ) % {"actual": actual, "expected": expected}


def line_problems(line: AgreementLine, quarterly_targets: Iterable[QuarterlyTarget]) -> list[str]:
    """Why the line's Rencana Aksi does not fit its year target (empty list when it does)."""
    quarters = {qt.quarter: as_target(qt) for qt in quarterly_targets}
    mismatched, issues = line_issues(
        year_target=as_target(line),
        quarters=quarters,
        aggregation=PlanAggregation(line.indicator.aggregation),
    )
    if mismatched:
        names = ", ".join(QUARTER_NAMES[q] for q in mismatched)
        if line.is_range:
            return [
                _("%(quarters)s must be a range (lower and upper bound), like the year's target.")
                % {"quarters": names}
            ]
        return [
            _("%(quarters)s must be a single number, like the year's target.") % {"quarters": names}
        ]
    missing = [i.quarter for i in issues if i.problem is PlanProblem.MISSING_QUARTER]
    if len(missing) > 1:
        names = ", ".join(QUARTER_NAMES[q] for q in missing if q is not None)
        others = [i for i in issues if i.problem is not PlanProblem.MISSING_QUARTER]
        return [_("The targets of %(quarters)s are missing.") % {"quarters": names}] + [
            _issue_message(i) for i in others
        ]
    return [_issue_message(issue) for issue in issues]
