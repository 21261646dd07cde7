"""Reads of the review: what keeps a worksheet from being submitted, why it was
returned, and what changed since a reviewer last looked at it."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.collection.access import can_submit_worksheet
from kinerja.collection.chain import REVIEWER_ROLES, approval_chain, next_approver
from kinerja.collection.domain.validation import RowFacts, Rule, Thresholds, check_row
from kinerja.collection.models import (
    Collection,
    CollectionSettings,
    Entry,
    Evidence,
    ReviewComment,
    Worksheet,
    WorksheetRow,
)
from kinerja.collection.selectors import RowView, worksheet_get, worksheet_rows
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, RoleKey


def agency_thresholds(agency: Agency) -> Thresholds:
    """The agency's validation tolerances (`CollectionSettings`), else the default (50 %)."""
    percent = (
        CollectionSettings.objects.filter(agency=agency)
        .values_list("deviation_percent", flat=True)
        .first()
    )
    return Thresholds() if percent is None else Thresholds(deviation_percent=percent)


def _issue_message(rule: Rule, *, indicator: str, thresholds: Thresholds) -> str:
    percent = f"{thresholds.deviation_percent:f}"
    messages = {
        Rule.MISSING_VALUE: _("%(indicator)s: enter the realisation."),
        Rule.PERCENT_OUT_OF_RANGE: _("%(indicator)s: a percentage must be between 0 and 100."),
        Rule.CUMULATIVE_DECREASE: _(
            "%(indicator)s: a cumulative indicator cannot go down from the previous quarter "
            "(this quarter's own amount cannot be negative)."
        ),
        Rule.EVIDENCE_MISSING: _("%(indicator)s: this indicator requires supporting evidence."),
        Rule.DENOMINATOR_ZERO: _("%(indicator)s: the denominator cannot be zero."),
        Rule.RATIO_MISMATCH: _(
            "%(indicator)s: the realisation must be the numerator divided by the denominator "
            "times 100."
        ),
        Rule.FAR_FROM_TARGET: _(
            "%(indicator)s: the realisation is more than %(percent)s%% away from the target; "
            "explain it in the analysis."
        ),
        Rule.FAR_FROM_PREVIOUS: _(
            "%(indicator)s: the realisation is more than %(percent)s%% away from the previous "
            "quarter; explain it in the analysis."
        ),
    }
    return messages[rule] % {"indicator": indicator, "percent": percent}


def _facts(view: RowView, evidence_count: int) -> RowFacts:
    row, entry = view.row, view.current
    return RowFacts(
        value=entry.value if entry is not None else None,
        unit_of_measure=row.indicator.unit_of_measure,
        aggregation=row.indicator.aggregation,
        previous_value=view.previous_value,
        target=row.target_value,  # a range target (low/high) has no single point
        has_explanation=bool(entry is not None and entry.analysis.strip()),
        evidence_count=evidence_count,
        evidence_required=row.indicator.evidence_required,
        numerator=entry.numerator if entry is not None else None,
        denominator=entry.denominator if entry is not None else None,
    )


def worksheet_problems(
    *, scope: UserScope, worksheet: Worksheet, views: list[RowView] | None = None
) -> dict[str, list[str]]:
    """row id → what keeps the row from being submitted; empty when it may be submitted
    (six queries whatever the size, three when the page passes the `views` it has read).
    Each message names the indicator."""
    thresholds = agency_thresholds(worksheet.collection.agency)
    evidence = dict(
        Evidence.objects.filter(row__worksheet=worksheet, archived_at__isnull=True)
        .values("row")
        .annotate(count=Count("pk"))
        .values_list("row", "count")
    )
    problems: dict[str, list[str]] = {}
    for view in views if views is not None else worksheet_rows(scope=scope, worksheet=worksheet):
        issues = check_row(_facts(view, evidence.get(view.row.pk, 0)), thresholds)
        if issues:
            indicator = str(view.row.indicator)
            problems[str(view.row.pk)] = [
                _issue_message(issue.rule, indicator=indicator, thresholds=thresholds)
                for issue in issues
            ]
    return problems


def row_review_notes(*, scope: UserScope, worksheet: Worksheet) -> dict[int, list[ReviewComment]]:
    """row id → the reviewers' words at that row on the current submission (the reasons
    of a return, the comments of a check), with their authors; empty once the unit has
    resubmitted (two queries)."""
    worksheet_get(scope=scope, worksheet_id=worksheet.pk)
    notes: dict[int, list[ReviewComment]] = {}
    for comment in ReviewComment.objects.filter(
        worksheet=worksheet,
        kind__in=[ReviewComment.Kind.RETURN, ReviewComment.Kind.COMMENT],
        submission_no=worksheet.submission_count,
        row__isnull=False,
    ).select_related("author"):
        assert comment.row_id is not None
        notes.setdefault(comment.row_id, []).append(comment)
    return notes


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: Decimal | str | None
    new: Decimal | str | None
    is_number: bool


_NUMBERS = frozenset({"value", "numerator", "denominator"})
_ENTRY_FIELDS = (
    ("value", gettext_lazy("Realisation")),
    ("numerator", gettext_lazy("Numerator")),
    ("denominator", gettext_lazy("Denominator")),
    ("analysis", gettext_lazy("Explanation")),
    ("obstacles", gettext_lazy("Obstacles")),
    ("follow_up", gettext_lazy("Follow-up")),
)


@dataclass(frozen=True)
class RowChange:
    """A row whose data changed since a reviewer's last review: the entry they saw
    (None: the row was empty then) and the current one."""

    row: WorksheetRow
    old: Entry | None
    new: Entry

    @property
    def differences(self) -> list[FieldChange]:
        """Every field whose value differs between the two entries, in the grid's order."""
        changes = []
        for name, label in _ENTRY_FIELDS:
            before = getattr(self.old, name) if self.old is not None else None
            after = getattr(self.new, name)
            if (before or None) != (after or None):
                changes.append(
                    FieldChange(label=str(label), old=before, new=after, is_number=name in _NUMBERS)
                )
        return changes


def changes_since_last_review(
    *, scope: UserScope, worksheet: Worksheet, reviewer: UserScope
) -> list[RowChange]:
    """The rows whose data changed after `reviewer`'s last comment on the worksheet
    (any kind: return, acceptance, approval), in row order; empty when they never
    reviewed it (three queries whatever the size)."""
    worksheet_get(scope=scope, worksheet_id=worksheet.pk)
    reviewed_at = (
        ReviewComment.objects.filter(worksheet=worksheet, author_id=reviewer.user_id)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    if reviewed_at is None:
        return []
    seen: dict[int, Entry] = {}
    newest: dict[int, Entry] = {}
    entries = (
        Entry.objects.filter(row__worksheet=worksheet)
        .select_related("row__indicator", "entered_by")
        .order_by("row__sort_order", "row_id", "version")
    )
    for entry in entries:
        if entry.entered_at <= reviewed_at:
            seen[entry.row_id] = entry
        newest[entry.row_id] = entry
    return [
        RowChange(row=entry.row, old=seen.get(row_id), new=entry)
        for row_id, entry in newest.items()
        if entry.entered_at > reviewed_at
    ]


@dataclass(frozen=True)
class ReviewPanel:
    """What the worksheet page offers the user for the review, and what it shows at the rows.

    `problems` (row id → messages) is filled only for someone who may submit an
    editable worksheet; `changes` only for a reviewer who reviewed it before.
    """

    can_submit: bool
    can_return: bool
    can_accept: bool
    can_approve: bool
    waits_for: str | None
    problems: dict[str, list[str]]
    return_reason: ReviewComment | None
    #: row id → the reviewers' words at that row on the current submission
    row_reasons: dict[int, list[ReviewComment]]
    changes: list[RowChange]
    history: list[ReviewComment]

    @property
    def can_review(self) -> bool:
        """Whether the user decides on the worksheet now (and so writes notes at rows)."""
        return self.can_return or self.can_accept or self.can_approve


def worksheet_review_panel(
    *, scope: UserScope, worksheet: Worksheet, views: list[RowView] | None = None
) -> ReviewPanel:
    """The review actions open to `scope` on the worksheet and what the page shows of the
    review (a fixed number of queries whatever the size; pass the page's `views`)."""
    roles = scope.roles_by_agency.get(worksheet.collection.agency_id, frozenset())
    locked = worksheet.collection.status == Collection.Status.LOCKED
    status = worksheet.status
    chain = approval_chain(worksheet.collection)
    reviewer = bool(roles & set(chain)) and not locked
    can_submit = (
        not locked and status in Worksheet.EDITABLE and can_submit_worksheet(scope, worksheet)
    )
    waits_for = next_approver(worksheet, chain)
    history = list(
        ReviewComment.objects.filter(worksheet=worksheet)
        .select_related("author", "row__indicator")
        .order_by("created_at", "pk")
    )
    returned = status == Worksheet.Status.RETURNED
    reason = next(
        (
            comment
            for comment in reversed(history)
            if returned
            and comment.kind == ReviewComment.Kind.RETURN
            and comment.row_id is None
            and comment.submission_no == worksheet.submission_count
        ),
        None,
    )
    return ReviewPanel(
        can_submit=can_submit,
        can_return=reviewer and status in {Worksheet.Status.SUBMITTED, Worksheet.Status.ACCEPTED},
        can_accept=not locked and status == Worksheet.Status.SUBMITTED and chain[0] in roles,
        can_approve=not locked and waits_for is not None and waits_for in roles,
        waits_for=str(RoleKey(waits_for).label) if waits_for else None,
        problems=(
            worksheet_problems(scope=scope, worksheet=worksheet, views=views) if can_submit else {}
        ),
        return_reason=reason,
        row_reasons=row_review_notes(scope=scope, worksheet=worksheet),
        changes=(
            changes_since_last_review(scope=scope, worksheet=worksheet, reviewer=scope)
            if roles & REVIEWER_ROLES
            else []
        ),
        history=history,
    )
