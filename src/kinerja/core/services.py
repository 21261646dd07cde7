"""Writes of the core app: the change record every other service appends to."""

from decimal import Decimal
from typing import Any

from django.db import models

from kinerja.core.models import ChangeRecord


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def change_record_create(
    *,
    instance: models.Model,
    action: str,
    user_id: int | None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    reason: str = "",
) -> ChangeRecord:
    """Append what happened to `instance`; `changes` maps field → (old, new).

    `user_id` is the acting user (`actor.user_id`); None for system actions
    (imports run by an operator, the demo loader).
    """
    payload = {
        field: {"old": _jsonable(old), "new": _jsonable(new)}
        for field, (old, new) in (changes or {}).items()
    }
    return ChangeRecord.objects.create(
        app_label=instance._meta.app_label,
        model=instance._meta.model_name or "",
        object_id=str(instance.pk),
        action=action,
        changes=payload,
        reason=reason,
        user_id=user_id,
    )


def diff_fields(*, instance: models.Model, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Which of `values` differ from the instance's current field values (old, new)."""
    return {
        field: (getattr(instance, field), new)
        for field, new in values.items()
        if getattr(instance, field) != new
    }
