"""Writes of the review of a data collection: submit, return, accept, the approval chain,
lock and reopen.

A unit submits its worksheet once every row passes `domain.validation.check_row`;
the Kasubbag Program accepts it or returns it with reasons pointing at rows;
the Sekretaris and then the Kepala Dinas approve it (`chain.approval_chain`: the SOP's
own order when the collection runs one), and the
final approval writes the approved values to the indicators' realisasi. When
every worksheet is approved the Kepala Dinas locks the collection; only they
may reopen it, with a reason.

Every transition locks the worksheet, compares the revision the user saw
(`expected_revision`, else `Conflict`) and bumps it.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.collection import process_link
from kinerja.collection.access import access_worksheet_for_submit
from kinerja.collection.chain import approval_chain, next_approver
from kinerja.collection.models import Collection, ReviewComment, Worksheet
from kinerja.collection.review_selectors import worksheet_problems
from kinerja.collection.selectors import worksheet_rows
from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.measurement.models import Realization
from kinerja.measurement.services import realization_record
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import RoleKey

#: collection period → the quarter its approved values are recorded for
_QUARTER = {"tw1": 1, "tw2": 2, "tw3": 3, "tw4": 4}


def _roles(actor: UserScope, agency_id: int) -> frozenset[str]:
    return actor.roles_by_agency.get(agency_id, frozenset())


def _require_role(actor: UserScope, agency_id: int, roles: frozenset[str], message: str) -> None:
    if actor.user_id is None or not _roles(actor, agency_id) & roles:
        raise AccessDenied(message)


def _lock(worksheet: Worksheet, expected_revision: int) -> Worksheet:
    """The worksheet locked for this transaction, as the user saw it (else Conflict)."""
    current = (
        Worksheet.objects.select_for_update(of=("self",))
        .select_related("collection__agency", "unit__agency")
        .get(pk=worksheet.pk)
    )
    if current.revision != expected_revision:
        raise Conflict(_("Someone else changed this worksheet meanwhile; reload it and try again."))
    if current.collection.status == Collection.Status.LOCKED:
        raise ValidationFailed(_("This data collection is locked; its data can no longer change."))
    return current


def _role_labels(roles: tuple[str, ...]) -> str:
    return ", ".join(str(RoleKey(role).label) for role in roles)


def _require_status(worksheet: Worksheet, allowed: set[str], message: str) -> None:
    if worksheet.status not in allowed:
        raise ValidationFailed(message)


def _move(
    worksheet: Worksheet, *, actor: UserScope, status: str, action: str, reason: str = ""
) -> None:
    old = worksheet.status
    worksheet.status = status
    worksheet.revision += 1
    worksheet.save(
        update_fields=[
            "status",
            "revision",
            "submission_count",
            "first_submitted_at",
            "submitted_at",
            "updated_at",
        ]
    )
    change_record_create(
        instance=worksheet,
        action=action,
        user_id=actor.user_id,
        changes={"status": (old, status)},
        reason=reason,
    )


def _comment(
    worksheet: Worksheet, *, actor: UserScope, kind: str, text: str = "", row_id: int | None = None
) -> ReviewComment:
    assert actor.user_id is not None  # checked by _require_role
    return ReviewComment.objects.create(
        worksheet=worksheet,
        row_id=row_id,
        kind=kind,
        text=text,
        submission_no=worksheet.submission_count,
        author_id=actor.user_id,
    )


def _row_comments(
    worksheet: Worksheet, *, actor: UserScope, kind: str, texts: Mapping[int, str]
) -> None:
    """A reviewer's words at rows (row id → text; blank ones skipped), in row-id order."""
    cleaned = {row_id: text.strip() for row_id, text in texts.items() if text.strip()}
    rows = set(worksheet.rows.filter(pk__in=cleaned).values_list("pk", flat=True))
    if rows != set(cleaned):
        raise ValidationFailed({"row_reasons": [_("A reason points at another worksheet.")]})
    for row_id, text in sorted(cleaned.items()):
        _comment(worksheet, actor=actor, kind=kind, text=text, row_id=row_id)


# --- submit ------------------------------------------------------------------------------


def worksheet_submit(
    *, actor: UserScope, worksheet: Worksheet, expected_revision: int
) -> Worksheet:
    """The unit hands its worksheet in for review (DRAFT/RETURNED → SUBMITTED).

    Refused with `ValidationFailed` keyed by row id while any row breaks a hard
    rule or deviates without an explanation; each message names the indicator.
    """
    access_worksheet_for_submit(actor, worksheet)
    with transaction.atomic():
        current = _lock(worksheet, expected_revision)
        _require_status(
            current,
            set(Worksheet.EDITABLE),
            _("This worksheet has already been submitted."),
        )
        problems = worksheet_problems(scope=actor, worksheet=current)
        if problems:
            raise ValidationFailed(problems)
        current.submission_count += 1
        current.submitted_at = timezone.now()
        current.first_submitted_at = current.first_submitted_at or current.submitted_at
        _move(current, actor=actor, status=Worksheet.Status.SUBMITTED, action="submit")
        process_link.worksheet_submitted(actor=actor, worksheet=current)
    return current


# --- review ------------------------------------------------------------------------------


def worksheet_return(
    *,
    actor: UserScope,
    worksheet: Worksheet,
    reason: str,
    row_reasons: Mapping[int, str],
    expected_revision: int,
) -> Worksheet:
    """A reviewer sends the worksheet back for correction (SUBMITTED/ACCEPTED → RETURNED).

    `reason` is mandatory; `row_reasons` (row id → reason) point at the rows to
    correct and are shown there until the unit resubmits.
    """
    chain = approval_chain(worksheet.collection)
    _require_role(
        actor,
        worksheet.collection.agency_id,
        frozenset(chain),
        _("Only the worksheet's reviewers (%(roles)s) may return it.")
        % {"roles": _role_labels(chain)},
    )
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Give the reason for returning the worksheet.")]})
    with transaction.atomic():
        current = _lock(worksheet, expected_revision)
        _require_status(
            current,
            {Worksheet.Status.SUBMITTED, Worksheet.Status.ACCEPTED},
            _("Only a submitted or accepted worksheet can be returned."),
        )
        _comment(current, actor=actor, kind=ReviewComment.Kind.RETURN, text=reason)
        _row_comments(current, actor=actor, kind=ReviewComment.Kind.RETURN, texts=row_reasons)
        _move(
            current, actor=actor, status=Worksheet.Status.RETURNED, action="return", reason=reason
        )
    return current


def worksheet_accept(
    *,
    actor: UserScope,
    worksheet: Worksheet,
    expected_revision: int,
    comment: str = "",
    row_comments: Mapping[int, str] | None = None,
) -> Worksheet:
    """The chain's first role (usually the Kasubbag Program) accepts the checked worksheet
    (SUBMITTED → ACCEPTED; → APPROVED, with its realisasi, when the chain has no one else),
    with an optional comment and comments at rows (the verification notes)."""
    chain = approval_chain(worksheet.collection)
    _require_role(
        actor,
        worksheet.collection.agency_id,
        frozenset({chain[0]}),
        _("Only the %(role)s may accept this worksheet.") % {"role": RoleKey(chain[0]).label},
    )
    with transaction.atomic():
        current = _lock(worksheet, expected_revision)
        _require_status(
            current,
            {Worksheet.Status.SUBMITTED},
            _("Only a submitted worksheet can be accepted."),
        )
        _row_comments(
            current, actor=actor, kind=ReviewComment.Kind.COMMENT, texts=row_comments or {}
        )
        _comment(current, actor=actor, kind=ReviewComment.Kind.ACCEPT, text=comment.strip())
        if len(chain) == 1:
            _move(current, actor=actor, status=Worksheet.Status.APPROVED, action="approve")
            _record_realisations(actor, current)
        else:
            _move(current, actor=actor, status=Worksheet.Status.ACCEPTED, action="accept")
    return current


def _record_realisations(actor: UserScope, worksheet: Worksheet) -> None:
    """Write the approved current values to the indicators' quarterly realisasi.

    Only quarter collections do: a semester or annual figure is derived from
    the quarters (`measurement`), it is not recorded on its own.
    """
    collection = worksheet.collection
    quarter = _QUARTER.get(collection.period)
    if quarter is None:
        return
    for view in worksheet_rows(scope=actor, worksheet=worksheet):
        entry = view.current
        if entry is None:
            continue
        realization_record(
            actor=actor,
            indicator=view.row.indicator,
            year=collection.year,
            quarter=quarter,
            value=entry.value,
            numerator=entry.numerator,
            denominator=entry.denominator,
            source=Realization.Source.COLLECTION,
            note=str(worksheet),
            check_access=False,
        )


def worksheet_approve(
    *,
    actor: UserScope,
    worksheet: Worksheet,
    expected_revision: int,
    comment: str = "",
    row_comments: Mapping[int, str] | None = None,
) -> Worksheet:
    """The next role of the chain (`chain.approval_chain`) approves the accepted worksheet.

    An approval before the last is recorded (the worksheet stays ACCEPTED); the
    last one makes it APPROVED and records its values as realisasi.
    """
    agency_id = worksheet.collection.agency_id
    chain = approval_chain(worksheet.collection)
    _require_role(
        actor,
        agency_id,
        frozenset(chain[1:]),
        _("Only %(roles)s may approve this worksheet.") % {"roles": _role_labels(chain[1:])},
    )
    with transaction.atomic():
        current = _lock(worksheet, expected_revision)
        _require_status(
            current,
            {Worksheet.Status.ACCEPTED},
            _("Only an accepted worksheet can be approved."),
        )
        role = next_approver(current, chain)
        assert role is not None  # an accepted worksheet always waits for someone
        _require_role(
            actor,
            agency_id,
            frozenset({role}),
            _("This worksheet now waits for the approval of the %(role)s.")
            % {"role": RoleKey(role).label},
        )
        _row_comments(
            current, actor=actor, kind=ReviewComment.Kind.COMMENT, texts=row_comments or {}
        )
        _comment(current, actor=actor, kind=ReviewComment.Kind.APPROVE, text=comment.strip())
        if role == chain[-1]:
            _move(current, actor=actor, status=Worksheet.Status.APPROVED, action="approve")
            _record_realisations(actor, current)
        else:
            current.revision += 1
            current.save(update_fields=["revision", "updated_at"])
            change_record_create(instance=current, action="approve", user_id=actor.user_id)
    return current


# --- lock and reopen ---------------------------------------------------------------------


def _require_head(actor: UserScope, collection: Collection, message: str) -> None:
    _require_role(actor, collection.agency_id, frozenset({RoleKey.KEPALA_DINAS}), message)


def _lock_collection(collection: Collection) -> Collection:
    return Collection.objects.select_for_update().get(pk=collection.pk)


def collection_lock(*, actor: UserScope, collection: Collection) -> Collection:
    """The Kepala Dinas locks the collection once every worksheet is approved."""
    _require_head(actor, collection, _("Only the Kepala Dinas may lock a data collection."))
    with transaction.atomic():
        current = _lock_collection(collection)
        if current.status == Collection.Status.LOCKED:
            raise ValidationFailed(_("This data collection is already locked."))
        pending = current.worksheets.exclude(status=Worksheet.Status.APPROVED)
        if pending.exists() or not current.worksheets.exists():
            raise ValidationFailed(_("Every worksheet must be approved before locking."))
        old = current.status
        current.status = Collection.Status.LOCKED
        current.save(update_fields=["status", "updated_at"])
        change_record_create(
            instance=current,
            action="lock",
            user_id=actor.user_id,
            changes={"status": (old, current.status)},
        )
    return current


def collection_reopen(*, actor: UserScope, collection: Collection, reason: str) -> Collection:
    """Only the Kepala Dinas reopens a locked collection, with a recorded reason.

    Its worksheets go back to ACCEPTED (not RETURNED): a reviewer returns the
    ones needing a correction, which the unit resubmits, and every worksheet
    goes through the approvals again. The reopening is recorded as an ACCEPT
    comment carrying the reason, which restarts the approval chain after it.
    """
    _require_head(actor, collection, _("Only the Kepala Dinas may reopen a data collection."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Give the reason for reopening.")]})
    with transaction.atomic():
        current = _lock_collection(collection)
        if current.status != Collection.Status.LOCKED:
            raise ValidationFailed(_("Only a locked data collection can be reopened."))
        current.status = Collection.Status.OPEN if current.process_id else Collection.Status.DRAFT
        current.save(update_fields=["status", "updated_at"])
        change_record_create(
            instance=current,
            action="reopen",
            user_id=actor.user_id,
            changes={"status": (Collection.Status.LOCKED, current.status)},
            reason=reason,
        )
        for worksheet in current.worksheets.select_for_update().order_by("pk"):
            _comment(worksheet, actor=actor, kind=ReviewComment.Kind.ACCEPT, text=reason)
            _move(
                worksheet,
                actor=actor,
                status=Worksheet.Status.ACCEPTED,
                action="reopen",
                reason=reason,
            )
    return current
