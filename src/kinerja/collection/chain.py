"""The review chain of a worksheet: who reviews, who approves in which order, who is next.

It follows the seeds' Pengumpulan Data Kinerja SOPs: the Kasubbag Program
checks (and accepts), the Sekretaris approves, the Kepala Dinas signs.
"""

from kinerja.collection.models import ReviewComment, Worksheet
from kinerja.organizations.models import RoleKey

#: who approves an accepted worksheet, in order; the first step is `review.worksheet_accept`
APPROVAL_CHAIN: tuple[str, ...] = (
    RoleKey.KASUBBAG_PROGRAM,
    RoleKey.SEKRETARIS,
    RoleKey.KEPALA_DINAS,
)
#: who may return a submitted or accepted worksheet
REVIEWER_ROLES = frozenset(APPROVAL_CHAIN)


def next_approver(worksheet: Worksheet) -> str | None:
    """The role key whose approval the accepted worksheet waits for (None: not waiting).

    The chain restarts at every ACCEPT comment (an acceptance or a reopening).
    """
    if worksheet.status != Worksheet.Status.ACCEPTED:
        return None
    started = (
        ReviewComment.objects.filter(worksheet=worksheet, kind=ReviewComment.Kind.ACCEPT)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    approvals = ReviewComment.objects.filter(
        worksheet=worksheet, kind=ReviewComment.Kind.APPROVE, pk__gt=started or 0
    ).count()
    step = approvals + 1
    return APPROVAL_CHAIN[step] if step < len(APPROVAL_CHAIN) else None
