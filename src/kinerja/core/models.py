"""Abstract bases and the generic change record; no domain models live here."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def measure_field(verbose_name: "StrOrPromise") -> models.DecimalField:
    """An optional measured or planned number: 16 digits before the point, 4 after."""
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=4, null=True, blank=True)


class TimeStampedModel(models.Model):
    """Adds creation and last-change times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ArchivableModel(TimeStampedModel):
    """Records are never hard-deleted: they are archived and kept."""

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ChangeRecord(models.Model):
    """One change to one object: who, when, which fields went from what to what, and why.

    Written only by `kinerja.core.services.change_record_create`, in the same
    transaction as the change it describes. Append-only.
    """

    app_label = models.CharField(max_length=50)
    model = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("action"), max_length=20)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["app_label", "model", "object_id"])]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.app_label}.{self.model}#{self.object_id} {self.action}"
