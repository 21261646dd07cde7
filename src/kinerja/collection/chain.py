"""The review chain of a worksheet: who reviews, who approves in which order, who is next.

A collection that runs an SOP takes its chain from the SOP (`domain.chain`): the
reviewer roles acting after the units' step, in the SOP's order — seed 004
gives Kasubbag Program (checks and accepts), Sekretaris, Kepala Dinas (signs);
seeds 002 and 003 give the Kasubbag Program alone. Without an SOP, or when the
SOP names none of them, the chain is `DEFAULT_CHAIN`.
"""

from kinerja.collection.domain.chain import chain_from_sop
from kinerja.collection.models import Collection, ReviewComment, Worksheet
from kinerja.organizations.models import RoleKey
from kinerja.workflow.models import ProcessInstance
from kinerja.workflow.selectors import sop_definition

#: the usual chain, in order; its first role accepts (`review.worksheet_accept`)
DEFAULT_CHAIN: tuple[str, ...] = (
    RoleKey.KASUBBAG_PROGRAM,
    RoleKey.SEKRETARIS,
    RoleKey.KEPALA_DINAS,
)
#: who may review a worksheet of their agency (whichever of them the chain names)
REVIEWER_ROLES = frozenset(DEFAULT_CHAIN)


def approval_chain(collection: Collection) -> tuple[str, ...]:
    """The roles that review the collection's worksheets, in order (one query with an SOP)."""
    if collection.process_id is None:
        return DEFAULT_CHAIN
    process = ProcessInstance.objects.select_related("sop").get(pk=collection.process_id)
    chain = chain_from_sop(sop_definition(process.sop), reviewers=tuple(DEFAULT_CHAIN))
    return chain or DEFAULT_CHAIN


def next_approver(worksheet: Worksheet, chain: tuple[str, ...]) -> str | None:
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
    return chain[step] if step < len(chain) else None
