"""Pengumpulan Data Kinerja: one collection per agency and period, a worksheet per unit,
a row per indicator and every value ever entered (append-only entries).

A collection runs as an instance of the agency's Pengumpulan Data Kinerja SOP
(`process`); the SOP's steps say who does what and when, these records hold
the data those steps produce. Values are never updated in place: each change
is a new `Entry` version, so who changed what, when and in which submission
is always known.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import ArchivableModel, TimeStampedModel, measure_field
from kinerja.measurement.domain.achievement import Period as EnginePeriod
from kinerja.measurement.selectors import PERIOD_LABELS, PERIOD_PARAMS
from kinerja.organizations.models import Agency, Employee, OrgUnit
from kinerja.planning.models import Indicator
from kinerja.workflow.models import ProcessInstance

#: the measurement vocabulary: "tw1"…"tw4", "s1", "s2", "annual"
PERIOD_CHOICES = [(param, PERIOD_LABELS[period]) for param, period in PERIOD_PARAMS.items()]


class Collection(ArchivableModel):
    """The data collection of one agency for one period of one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        LOCKED = "locked", _("Locked")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="collections"
    )
    year = models.PositiveIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=10, choices=PERIOD_CHOICES)
    process = models.OneToOneField(
        ProcessInstance,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collection",
        help_text=_("The running SOP instance; empty until the SOP is started."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("data collection")
        verbose_name_plural = _("data collections")
        ordering = ["agency", "-year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "period"],
                condition=Q(archived_at__isnull=True),
                name="collection_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_period_display()} {self.year}"

    @property
    def engine_period(self) -> EnginePeriod:
        return PERIOD_PARAMS[self.period]


class Worksheet(TimeStampedModel):
    """The kertas kerja (format data kinerja) of one unit in a collection.

    `revision` is bumped by every change to the worksheet or its entries;
    services compare it for optimistic locking. `submission_count` counts the
    unit's submissions, so each entry knows which submission it belongs to.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")
        APPROVED = "approved", _("Approved")

    #: statuses in which the unit may still change its values
    EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

    collection = models.ForeignKey(
        Collection,
        verbose_name=_("data collection"),
        on_delete=models.PROTECT,
        related_name="worksheets",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="worksheets"
    )
    deadline = models.DateTimeField(_("deadline"))
    deadline_set = models.BooleanField(
        _("deadline set by the coordinator"),
        default=False,
        help_text=_(
            "Until the coordinator sets it, the deadline follows the SOP: an estimate at "
            "creation, then the due time of the unit's task when the units' step opens."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    submission_count = models.PositiveIntegerField(_("submissions"), default=0)
    first_submitted_at = models.DateTimeField(
        _("first submitted at"),
        null=True,
        blank=True,
        help_text=_("Timeliness is judged on the first submission against the deadline."),
    )
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("worksheet")
        verbose_name_plural = _("worksheets")
        ordering = ["collection", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "unit"], name="worksheet_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.collection} · {self.unit}"


class WorksheetRow(models.Model):
    """One indicator of a worksheet with the period's target and who supplies its data."""

    worksheet = models.ForeignKey(
        Worksheet, verbose_name=_("worksheet"), on_delete=models.PROTECT, related_name="rows"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="worksheet_rows",
    )
    target_value = measure_field(_("target"))
    target_low = measure_field(_("target (low)"))
    target_high = measure_field(_("target (high)"))
    data_holder = models.ForeignKey(
        Employee,
        verbose_name=_("data holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="worksheet_rows",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("worksheet row")
        verbose_name_plural = _("worksheet rows")
        ordering = ["worksheet", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["worksheet", "indicator"], name="worksheet_row_unique_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worksheet} · {self.indicator.code}"


class Entry(models.Model):
    """One version of a row's data. Append-only: the current data is the highest version.

    Written only by `collection.services.entry_record`; never updated or deleted.
    """

    row = models.ForeignKey(
        WorksheetRow,
        verbose_name=_("worksheet row"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    version = models.PositiveIntegerField(_("version"))
    value = measure_field(_("realisation"))
    numerator = measure_field(_("numerator"))
    denominator = measure_field(_("denominator"))
    analysis = models.TextField(_("analysis"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    submission_no = models.PositiveIntegerField(_("submission"))

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["row", "version"]
        constraints = [
            models.UniqueConstraint(fields=["row", "version"], name="entry_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.row} v{self.version}"


class Evidence(ArchivableModel):
    """A bukti dukung of a worksheet row: a stored document (content-checked, sha256).

    Removing evidence archives the link; the document and its versions stay.
    """

    row = models.ForeignKey(
        WorksheetRow, verbose_name=_("row"), on_delete=models.PROTECT, related_name="evidence"
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="evidence_for",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["row", "created_at"]

    def __str__(self) -> str:
        return f"{self.row}: {self.document}"


class ReviewComment(TimeStampedModel):
    """A reviewer's word on a worksheet or one of its rows, tied to the submission it answers.

    A return (kind RETURN) needs a reason; the rows it points at show it until the
    unit resubmits.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        RETURN = "return", _("Returned for correction")
        ACCEPT = "accept", _("Accepted")
        APPROVE = "approve", _("Approved")

    worksheet = models.ForeignKey(
        Worksheet, verbose_name=_("worksheet"), on_delete=models.PROTECT, related_name="comments"
    )
    row = models.ForeignKey(
        WorksheetRow,
        verbose_name=_("row"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("comment"), blank=True)
    submission_no = models.PositiveIntegerField(_("submission"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["worksheet", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.worksheet} · {self.get_kind_display()}"


class CollectionSettings(TimeStampedModel):
    """An agency's own tolerances for the soft validation rules (default 50 %).

    Agencies without a row use `domain.validation.Thresholds()`.
    """

    agency = models.OneToOneField(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="collection_settings",
    )
    deviation_percent = models.DecimalField(
        _("deviation needing an explanation (%)"),
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "A realisation further than this from the target or from the previous quarter "
            "must be explained before the worksheet is submitted."
        ),
    )

    class Meta:
        verbose_name = _("data collection settings")
        verbose_name_plural = _("data collection settings")

    def __str__(self) -> str:
        return f"{self.agency}: {self.deviation_percent} %"


class Recap(TimeStampedModel):
    """A generated rekapitulasi data kinerja of a collection: its PDF and workbook documents,
    and, once sent, the Surat Pengantar that took it to the Perangkat Daerah Terkait.

    Each generation is a new row (`number` 1, 2, …); a recap is final when every
    worksheet was approved as it was generated. Coordinating agencies see only final,
    sent recaps.
    """

    collection = models.ForeignKey(
        Collection,
        verbose_name=_("data collection"),
        on_delete=models.PROTECT,
        related_name="recaps",
    )
    number = models.PositiveIntegerField(_("number"))
    is_final = models.BooleanField(_("final"), default=False)
    pdf = models.ForeignKey(
        "documents.Document", verbose_name=_("PDF"), on_delete=models.PROTECT, related_name="+"
    )
    workbook = models.ForeignKey(
        "documents.Document", verbose_name=_("workbook"), on_delete=models.PROTECT, related_name="+"
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cover_letter = models.ForeignKey(
        "documents.Document",
        verbose_name=_("covering letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("recap")
        verbose_name_plural = _("recaps")
        ordering = ["collection", "number"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "number"], name="recap_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.collection} · {self.number}"
