"""Realisasi per indicator and quarter (with every version kept) and the predikat scale."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import measure_field
from kinerja.organizations.models import Government
from kinerja.planning.models import Indicator


class Realization(models.Model):
    """The current realisasi of an indicator in one quarter; its history is in revisions.

    Only `measurement.services.realization_record` writes it, bumping `version`
    under a row lock and appending a `RealizationRevision` with the old and new
    values. The quarterly data collection (a later capability) feeds approved
    values through that same service.
    """

    class Source(models.TextChoices):
        IMPORT = "import", _("Import")
        MANUAL = "manual", _("Manual entry")
        COLLECTION = "collection", _("Data collection")
        DEMO = "demo", _("Demo data")

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="realizations",
    )
    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = measure_field(_("realisation"))
    numerator = measure_field(_("numerator"))
    denominator = measure_field(_("denominator"))
    version = models.PositiveIntegerField(_("version"), default=1)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="realization_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="realization_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} TW{self.quarter}"


class RealizationRevision(models.Model):
    """One version of a realisasi: who recorded what, when, replacing which value."""

    realization = models.ForeignKey(Realization, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    value = measure_field(_("realisation"))
    numerator = measure_field(_("numerator"))
    denominator = measure_field(_("denominator"))
    previous_value = measure_field(_("previous realisation"))
    source = models.CharField(_("source"), max_length=20, choices=Realization.Source.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("realisation version")
        verbose_name_plural = _("realisation versions")
        ordering = ["realization", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["realization", "version"], name="realization_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.realization} v{self.version}"


class RatingScale(models.Model):
    """The predikat bands a government uses in a year: [{"min": "91", "label": "Sangat Tinggi"}, …].

    When a government has no scale for a year the default five-level scale of
    `measurement.domain.achievement` applies.
    """

    government = models.ForeignKey(
        Government,
        verbose_name=_("government"),
        on_delete=models.PROTECT,
        related_name="rating_scales",
    )
    year = models.PositiveIntegerField(_("year"))
    bands = models.JSONField(_("bands"))

    class Meta:
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")
        constraints = [
            models.UniqueConstraint(fields=["government", "year"], name="rating_scale_unique")
        ]

    def __str__(self) -> str:
        return f"{self.government} {self.year}"
