"""Renstra → tujuan → sasaran → indikator, annual targets, Perjanjian Kinerja, Rencana Aksi, IKI."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import ArchivableModel, TimeStampedModel, measure_field
from kinerja.organizations.models import Agency, Employee, OrgUnit, Position


class Polarity(models.TextChoices):
    """How achievement is computed; chosen when the indicator is planned."""

    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")
    RANGE = "range", _("Target range")


class Aggregation(models.TextChoices):
    """How quarterly values add up to a semester or year."""

    CUMULATIVE = "cumulative", _("Cumulative (sum)")
    LAST_VALUE = "last", _("Last value")
    AVERAGE = "average", _("Average")


class TargetValue(models.Model):
    """A target that is either one number or a range [low, high] (for range indicators)."""

    value = measure_field(_("target"))
    low = measure_field(_("lower bound"))
    high = measure_field(_("upper bound"))

    class Meta:
        abstract = True

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def target_tuple(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return (self.value, self.low, self.high)


class StrategicPlan(ArchivableModel):
    """A Renstra: the agency's five-year strategic plan."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="strategic_plans"
    )
    title = models.CharField(_("plan title"), max_length=300)
    start_year = models.PositiveIntegerField(_("first year"))
    end_year = models.PositiveIntegerField(_("last year"))
    decree_number = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("strategic plan (Renstra)")
        verbose_name_plural = _("strategic plans (Renstra)")
        ordering = ["agency", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="renstra_years_ordered"
            ),
            models.UniqueConstraint(fields=["agency", "start_year"], name="renstra_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Goal(ArchivableModel):
    """A tujuan of the Renstra."""

    plan = models.ForeignKey(
        StrategicPlan,
        verbose_name=_("strategic plan"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    code = models.CharField(_("code"), max_length=30)
    statement = models.TextField(_("goal"))
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="goal_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"


class Objective(ArchivableModel):
    """A sasaran: strategic (agency), programme (Bidang) or activity level, cascading by parent."""

    class Level(models.TextChoices):
        STRATEGIC = "strategis", _("Strategic objective")
        PROGRAM = "program", _("Programme objective")
        ACTIVITY = "kegiatan", _("Activity objective")

    plan = models.ForeignKey(
        StrategicPlan,
        verbose_name=_("strategic plan"),
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    code = models.CharField(_("code"), max_length=30)
    statement = models.TextField(_("objective"))
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="objective_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"


class Indicator(ArchivableModel):
    """An indikator kinerja of an objective, with everything needed to measure it."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.TextField(_("indicator"))
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60)
    polarity = models.CharField(
        _("polarity"), max_length=20, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER
    )
    aggregation = models.CharField(
        _("period aggregation"),
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.LAST_VALUE,
    )
    definition = models.TextField(_("operational definition"), blank=True)
    formula = models.TextField(_("formula"), blank=True)
    numerator_label = models.CharField(_("numerator"), max_length=250, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=250, blank=True)
    data_source = models.CharField(_("data source"), max_length=250, blank=True)
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    is_key = models.BooleanField(_("key indicator (IKU)"), default=False)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    baseline = measure_field(_("baseline"))
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["objective", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def has_ratio(self) -> bool:
        return bool(self.numerator_label and self.denominator_label)


class AnnualTarget(TargetValue, TimeStampedModel):
    """The Renstra's target of an indicator for one year."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="annual_targets",
    )
    year = models.PositiveIntegerField(_("year"))

    class Meta:
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="annual_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}"


class PerformanceAgreement(ArchivableModel):
    """A Perjanjian Kinerja: one position's commitments for a year, one version per revision.

    Version 1 is the original PK; each PK Perubahan adds a version with its own
    effective date and keeps the earlier ones unchanged (`supersedes`).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="agreements"
    )
    year = models.PositiveIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("revises"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    effective_date = models.DateField(_("effective date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    holder = models.ForeignKey(
        Employee,
        verbose_name=_("first party"),
        on_delete=models.PROTECT,
        related_name="agreements_held",
    )
    holder_title = models.CharField(_("first party's title"), max_length=260)
    superior = models.ForeignKey(
        Employee,
        verbose_name=_("second party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements_supervised",
    )
    superior_title = models.CharField(_("second party's title"), max_length=260, blank=True)
    superior_name = models.CharField(
        _("second party's name"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a second party who is not an employee in Kinerja "
            "(Gubernur, Bupati, Wali Kota); otherwise taken from the second party."
        ),
    )
    superior_nip = models.CharField(_("second party's NIP"), max_length=18, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    place = models.CharField(_("place of signing"), max_length=100, blank=True)
    revision_reason = models.TextField(_("reason for revision"), blank=True)

    class Meta:
        verbose_name = _("performance agreement")
        verbose_name_plural = _("performance agreements")
        ordering = ["position", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "year", "version"], name="agreement_version_unique"
            )
        ]

    def __str__(self) -> str:
        suffix = "" if self.version == 1 else f" (Perubahan {self.version - 1})"
        return f"PK {self.year} {self.holder_title}{suffix}"

    @property
    def is_revision(self) -> bool:
        return self.version > 1


class AgreementLine(TargetValue):
    """One commitment in a PK: an objective, one of its indicators and the year's target."""

    agreement = models.ForeignKey(
        PerformanceAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        on_delete=models.PROTECT,
        related_name="agreement_lines",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="agreement_lines",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agreement line")
        verbose_name_plural = _("agreement lines")
        ordering = ["agreement", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "indicator"], name="agreement_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.indicator.code}"


class AgreementProgram(models.Model):
    """A programme/activity of the PK with its budget (Rp)."""

    agreement = models.ForeignKey(
        PerformanceAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    name = models.CharField(_("programme / activity"), max_length=300)
    budget = models.DecimalField(_("budget (Rp)"), max_digits=18, decimal_places=2)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agreement programme")
        verbose_name_plural = _("agreement programmes")
        ordering = ["agreement", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class QuarterlyTarget(TargetValue, TimeStampedModel):
    """Rencana Aksi: a PK line's target (and planned action) for one quarter (TW I–IV)."""

    line = models.ForeignKey(
        AgreementLine,
        verbose_name=_("agreement line"),
        on_delete=models.PROTECT,
        related_name="quarterly_targets",
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(1, "TW I"), (2, "TW II"), (3, "TW III"), (4, "TW IV")]
    )
    action = models.TextField(_("planned action"), blank=True)

    class Meta:
        verbose_name = _("quarterly target")
        verbose_name_plural = _("quarterly targets")
        ordering = ["line", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["line", "quarter"], name="quarterly_target_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} TW{self.quarter}"


class IndividualIndicator(TargetValue, ArchivableModel):
    """An IKI: an employee's own indicator for a year, cascaded from a superior's PK line."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="individual_indicators",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        related_name="individual_indicators",
    )
    year = models.PositiveIntegerField(_("year"))
    parent_line = models.ForeignKey(
        AgreementLine,
        verbose_name=_("cascaded from"),
        on_delete=models.PROTECT,
        related_name="individual_indicators",
    )
    name = models.TextField(_("individual indicator"))
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60)
    polarity = models.CharField(
        _("polarity"), max_length=20, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER
    )
    aggregation = models.CharField(
        _("period aggregation"),
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.LAST_VALUE,
    )
    formula = models.TextField(_("formula"), blank=True)

    class Meta:
        verbose_name = _("individual indicator (IKI)")
        verbose_name_plural = _("individual indicators (IKI)")
        ordering = ["employee", "-year", "id"]

    def __str__(self) -> str:
        return f"IKI {self.year} {self.employee}: {self.name}"
