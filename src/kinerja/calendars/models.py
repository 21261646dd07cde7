"""Each government's working calendar: working days and hours, and its holidays.

The arithmetic lives in `kinerja.workflow.domain.worktime`; these rows are what
`selectors.calendar_for` turns into a `worktime.WorkingCalendar`. The time zone
is the government's own (`Government.time_zone`).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import ArchivableModel, TimeStampedModel
from kinerja.organizations.models import Government
from kinerja.workflow.domain import worktime

PERIODS_MESSAGE = _("Working hours must be pairs of times such as 08:00-12:00, in order.")


def default_weekdays() -> list[int]:
    return sorted(worktime.MONDAY_TO_FRIDAY)


def default_periods() -> list[list[str]]:
    return worktime.periods_to_json(worktime.DEFAULT_PERIODS)


def validate_weekdays(value: Any) -> None:
    if not (
        isinstance(value, list)
        and value
        and all(isinstance(day, int) and 0 <= day <= 6 for day in value)
        and len(set(value)) == len(value)
    ):
        raise ValidationError(_("Choose at least one working day."))


def validate_periods(value: Any) -> None:
    try:
        worktime.periods_from_json(value)
    except ValueError as exc:
        raise ValidationError(PERIODS_MESSAGE) from exc


def validate_weekday_periods(value: Any) -> None:
    if not isinstance(value, dict) or not all(
        key in {str(day) for day in range(7)} for key in value
    ):
        raise ValidationError(PERIODS_MESSAGE)
    for periods in value.values():
        validate_periods(periods)


def domain_calendar(
    *,
    time_zone: str,
    working_weekdays: list[int],
    periods: list[list[str]],
    weekday_periods: dict[str, list[list[str]]],
    non_working_dates: Iterable[datetime.date] = (),
) -> worktime.WorkingCalendar:
    """The stored (JSON) form of a calendar as the domain's; ValueError when inconsistent."""
    return worktime.WorkingCalendar(
        time_zone=time_zone,
        working_weekdays=frozenset(working_weekdays),
        periods=worktime.periods_from_json(periods),
        weekday_periods={
            int(day): worktime.periods_from_json(raw) for day, raw in weekday_periods.items()
        },
        non_working_dates=frozenset(non_working_dates),
    )


class WorkingCalendar(TimeStampedModel):
    """A government's working days and hours (default Monday–Friday, 08:00–12:00 and 13:00–17:00).

    One row per government, created on the first change; until then the
    defaults apply. Never archived: every change is kept as a ChangeRecord.
    `periods` applies to every working day; `weekday_periods` ({"4": [...]}:
    0 = Monday … 6 = Sunday) replaces it for some days, e.g. a shorter Friday.
    """

    government = models.OneToOneField(
        Government,
        verbose_name=_("government"),
        on_delete=models.PROTECT,
        related_name="working_calendar",
    )
    working_weekdays = models.JSONField(
        _("working days"), default=default_weekdays, validators=[validate_weekdays]
    )
    periods = models.JSONField(
        _("working hours"), default=default_periods, blank=True, validators=[validate_periods]
    )
    weekday_periods = models.JSONField(
        _("working hours of particular days"),
        default=dict,
        blank=True,
        validators=[validate_weekday_periods],
    )

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")

    def __str__(self) -> str:
        return str(self.government)

    def clean(self) -> None:
        try:
            self.as_domain(time_zone=self.government.time_zone)
        except (ValueError, TypeError) as exc:
            raise ValidationError(
                _("The working days and hours do not fit together: every working day needs hours.")
            ) from exc

    def as_domain(
        self, *, time_zone: str, non_working_dates: Iterable[datetime.date] = ()
    ) -> worktime.WorkingCalendar:
        return domain_calendar(
            time_zone=time_zone,
            working_weekdays=self.working_weekdays,
            periods=self.periods,
            weekday_periods=self.weekday_periods,
            non_working_dates=non_working_dates,
        )


class Holiday(ArchivableModel):
    """A day the government does not work: national holiday, cuti bersama or a regional day off.

    Rows from the `holidays` package (`source=package`) are added by a sync;
    administrators add others by hand and remove any by archiving it (a sync
    never brings an archived day back). Never hard-deleted.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        REGIONAL = "regional", _("Regional day off")

    class Source(models.TextChoices):
        PACKAGE = "package", _("National list")
        MANUAL = "manual", _("Added by hand")

    government = models.ForeignKey(
        Government, verbose_name=_("government"), on_delete=models.PROTECT, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date", "name"]
        indexes = [models.Index(fields=["government", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "date", "name"],
                condition=Q(archived_at__isnull=True),
                name="holiday_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
