"""Writes of the in-app notifications that the user makes: marking them read.

Notifications are created by the workflow services (new task, returned) and
the SLA sweep (reminder, breach, escalation); a user only ever reads their own.
"""

from django.db import transaction
from django.utils import timezone

from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.workflow.models import Notification


def notification_mark_read(*, actor: UserScope, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them when no id is given.

    Returns how many changed; marking a read notification again changes nothing.
    Another user's notification is NotFound.
    """
    if actor.user_id is None:
        raise NotFound("notification")
    own = Notification.objects.filter(user_id=actor.user_id)
    with transaction.atomic():
        if notification_id is not None:
            if not own.filter(pk=notification_id).exists():
                raise NotFound("notification")
            own = own.filter(pk=notification_id)
        return own.filter(read_at__isnull=True).update(read_at=timezone.now())
