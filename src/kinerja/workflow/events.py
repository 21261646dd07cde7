"""The hash-chained workflow log: the one place that appends events and checks the chain.

An event's hash is sha256 over the previous hash and a canonical JSON of its
content (process, sequence, kind, task, user, time, payload). Each process has
its own chain starting from 64 zeros; appending locks the process row, so two
writers cannot take the same sequence number.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kinerja.workflow.models import ProcessInstance, Task, WorkflowEvent

GENESIS = "0" * 64


def _digest(*, previous_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous_hash + canonical).encode()).hexdigest()


def _content(
    *,
    instance_id: int,
    sequence: int,
    kind: str,
    task_id: int | None,
    user_id: int | None,
    at: datetime.datetime,
    payload: dict[str, Any],
) -> dict[str, Any]:
    return {
        "instance": instance_id,
        "sequence": sequence,
        "kind": kind,
        "task": task_id,
        "user": user_id,
        "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "payload": payload,
    }


def event_append(
    *,
    instance: ProcessInstance,
    kind: str,
    task: Task | None = None,
    user_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> WorkflowEvent:
    """Append one event to the process's chain. Call inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_append must run inside the service's transaction")
    ProcessInstance.objects.select_for_update().filter(pk=instance.pk).first()
    last = (
        WorkflowEvent.objects.filter(instance=instance)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = timezone.now()
    payload = payload or {}
    content = _content(
        instance_id=instance.pk,
        sequence=sequence,
        kind=kind,
        task_id=task.pk if task else None,
        user_id=user_id,
        at=at,
        payload=payload,
    )
    return WorkflowEvent.objects.create(
        instance=instance,
        sequence=sequence,
        kind=kind,
        task=task,
        user_id=user_id,
        at=at,
        payload=payload,
        previous_hash=previous_hash,
        hash=_digest(previous_hash=previous_hash, content=content),
    )


@dataclass(frozen=True)
class BrokenLink:
    instance_id: int
    sequence: int
    reason: str


def chain_verify(*, instance_ids: list[int] | None = None) -> BrokenLink | None:
    """The first event whose hash or link does not match, or None when every chain holds."""
    events = WorkflowEvent.objects.order_by("instance_id", "sequence")
    if instance_ids is not None:
        events = events.filter(instance_id__in=instance_ids)
    current_instance, previous_hash, expected_sequence = None, GENESIS, 1
    for event in events.iterator(chunk_size=2000):
        if event.instance_id != current_instance:
            current_instance, previous_hash, expected_sequence = event.instance_id, GENESIS, 1
        if event.sequence != expected_sequence:
            return BrokenLink(event.instance_id, event.sequence, "missing event before this one")
        if event.previous_hash != previous_hash:
            return BrokenLink(
                event.instance_id, event.sequence, "link to the previous event broken"
            )
        content = _content(
            instance_id=event.instance_id,
            sequence=event.sequence,
            kind=event.kind,
            task_id=event.task_id,
            user_id=event.user_id,
            at=event.at,
            payload=event.payload,
        )
        if _digest(previous_hash=previous_hash, content=content) != event.hash:
            return BrokenLink(event.instance_id, event.sequence, "content altered")
        previous_hash, expected_sequence = event.hash, expected_sequence + 1
    return None
