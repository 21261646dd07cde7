"""Writes of the working calendars: working hours, holidays, and the sync with the national list.

Only a government's administrator (or a superuser) changes its calendar
(`access_government_for_admin`); everyone working in the government may read
it. Every write locks the government row first, so two administrators (or two
syncs) of one government take turns instead of racing.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from kinerja.calendars import national
from kinerja.calendars.models import Holiday, WorkingCalendar
from kinerja.core.errors import Conflict, ValidationFailed
from kinerja.core.services import change_record_create, diff_fields
from kinerja.organizations.access import UserScope, access_government_for_admin
from kinerja.organizations.models import Government
from kinerja.workflow.domain import worktime


def _lock(government: Government) -> None:
    Government.objects.select_for_update().filter(pk=government.pk).first()


def _validate(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.message_dict) from exc


# --- working days and hours ------------------------------------------------------------


def _check_hours(
    working_weekdays: Iterable[int],
    periods: Sequence[worktime.Period],
    weekday_periods: Mapping[int, Sequence[worktime.Period]],
) -> dict[str, list[str]]:
    """Field → messages for an inconsistent description (keys match `WorkingCalendarForm`)."""
    errors: dict[str, list[str]] = {}
    weekdays = set(working_weekdays)
    if not weekdays or not weekdays <= set(range(7)):
        errors["working_weekdays"] = [_("Choose at least one working day.")]
    hours_message = _("Enter the working hours in order, e.g. 08:00-12:00, 13:00-17:00.")
    if weekdays - set(weekday_periods):
        try:
            worktime.check_periods(periods)
        except ValueError:
            errors["periods"] = [hours_message]
    for day, day_periods in weekday_periods.items():
        if day not in weekdays:
            errors[f"periods_{day}"] = [
                _("%(day)s is not a working day: tick it or leave its hours empty.")
                % {"day": WEEKDAYS[day]}
            ]
            continue
        try:
            worktime.check_periods(day_periods)
        except ValueError:
            errors[f"periods_{day}"] = [hours_message]
    return errors


@transaction.atomic
def working_calendar_update(
    *,
    actor: UserScope,
    government: Government,
    working_weekdays: Iterable[int],
    periods: Sequence[worktime.Period],
    weekday_periods: Mapping[int, Sequence[worktime.Period]],
) -> WorkingCalendar:
    """Set a government's working days and hours (`weekday_periods`: 0 = Monday → its own hours)."""
    access_government_for_admin(actor, government.pk)
    working_weekdays = sorted(set(working_weekdays))
    errors = _check_hours(working_weekdays, periods, weekday_periods)
    if errors:
        raise ValidationFailed(errors)
    values: dict[str, Any] = {
        "working_weekdays": working_weekdays,
        "periods": worktime.periods_to_json(periods),
        "weekday_periods": {
            str(day): worktime.periods_to_json(day_periods)
            for day, day_periods in sorted(weekday_periods.items())
        },
    }
    _lock(government)
    calendar = WorkingCalendar.objects.filter(government=government).first()
    if calendar is None:
        calendar = WorkingCalendar(government=government, **values)
        _validate(calendar)
        calendar.save()
        change_record_create(
            instance=calendar,
            action="create",
            user_id=actor.user_id,
            changes={field: (None, value) for field, value in values.items()},
        )
        return calendar
    changes = diff_fields(instance=calendar, values=values)
    if changes:
        for field, value in values.items():
            setattr(calendar, field, value)
        _validate(calendar)
        calendar.save()
        change_record_create(
            instance=calendar, action="update", user_id=actor.user_id, changes=changes
        )
    return calendar


# --- holidays ----------------------------------------------------------------------------


@transaction.atomic
def holiday_add(
    *,
    actor: UserScope,
    government: Government,
    date: datetime.date,
    name: str,
    kind: str = Holiday.Kind.REGIONAL,
) -> Holiday:
    """Mark a day off for the whole government (e.g. a regional holiday or a new decree)."""
    access_government_for_admin(actor, government.pk)
    _lock(government)
    holiday = Holiday(
        government=government,
        date=date,
        name=" ".join(name.split()),
        kind=kind,
        source=Holiday.Source.MANUAL,
    )
    if Holiday.objects.filter(
        government=government, date=date, name=holiday.name, archived_at__isnull=True
    ).exists():
        raise ValidationFailed({"name": [_("This day already has a holiday with this name.")]})
    _validate(holiday)
    holiday.save()
    change_record_create(
        instance=holiday,
        action="create",
        user_id=actor.user_id,
        changes={"date": (None, date), "name": (None, holiday.name), "kind": (None, kind)},
    )
    return holiday


@transaction.atomic
def holiday_archive(*, actor: UserScope, holiday: Holiday, reason: str = "") -> Holiday:
    """Make a holiday a working day again; the row is kept, and a sync never restores it."""
    access_government_for_admin(actor, holiday.government_id)
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    if holiday.is_archived:
        raise Conflict(_("This holiday has already been removed."))
    holiday.archived_at = timezone.now()
    holiday.save(update_fields=["archived_at", "updated_at"])
    change_record_create(instance=holiday, action="archive", user_id=actor.user_id, reason=reason)
    return holiday


@dataclass(frozen=True)
class HolidaySync:
    """What a sync did: rows added, and package rows archived because the list dropped them."""

    added: list[Holiday]
    archived: list[Holiday]


@transaction.atomic
def holidays_sync(*, actor: UserScope, government: Government, year: int) -> HolidaySync:
    """Bring the year's national holidays and cuti bersama in from the `holidays` package.

    Idempotent, and never overrides an administrator: a (date, name) the
    government already has, current or archived, is left as it is, so a
    removed day stays removed and a day added by hand is not duplicated. A
    row the package added earlier and no longer lists (an estimated date that
    was corrected) is archived. Manual rows are never touched.
    """
    access_government_for_admin(actor, government.pk)
    if not national.FIRST_YEAR <= year <= national.LAST_YEAR:
        raise ValidationFailed(
            {
                "year": [
                    _("The national holiday list covers %(first)s to %(last)s.")
                    % {"first": national.FIRST_YEAR, "last": national.LAST_YEAR}
                ]
            }
        )
    listed = national.national_holidays(year)
    _lock(government)
    rows = list(
        Holiday.objects.filter(
            government=government,
            date__gte=datetime.date(year, 1, 1),
            date__lte=datetime.date(year, 12, 31),
        )
    )
    known = {(row.date, row.name) for row in rows}
    added = []
    for entry in listed:
        if (entry.date, entry.name) in known:
            continue
        known.add((entry.date, entry.name))
        kind = Holiday.Kind.CUTI_BERSAMA if entry.cuti_bersama else Holiday.Kind.NATIONAL
        holiday = Holiday.objects.create(
            government=government,
            date=entry.date,
            name=entry.name,
            kind=kind,
            source=Holiday.Source.PACKAGE,
        )
        change_record_create(
            instance=holiday,
            action="create",
            user_id=actor.user_id,
            changes={"date": (None, entry.date), "name": (None, entry.name), "kind": (None, kind)},
            reason=national.SOURCE,
        )
        added.append(holiday)
    still_listed = {(entry.date, entry.name) for entry in listed}
    dropped = [
        row
        for row in rows
        if row.source == Holiday.Source.PACKAGE
        and not row.is_archived
        and (row.date, row.name) not in still_listed
    ]
    now = timezone.now()
    for row in dropped:
        row.archived_at = now
        row.save(update_fields=["archived_at", "updated_at"])
        change_record_create(
            instance=row,
            action="archive",
            user_id=actor.user_id,
            reason=_("No longer in the national holiday list (%(source)s).")
            % {"source": national.SOURCE},
        )
    return HolidaySync(added=added, archived=dropped)
