"""Writes of the data collection: create it (and start its SOP), set data holders and
deadlines, record values.

Values are append-only (`Entry` versions): `entry_record` locks the row, checks
the version the user saw and adds a version only when something changed.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.collection.access import access_row_for_entry
from kinerja.collection.domain.units import units_step
from kinerja.collection.grid import data_holder_choices
from kinerja.collection.models import (
    Collection,
    CollectionSettings,
    Entry,
    Worksheet,
    WorksheetRow,
)
from kinerja.collection.staffing import default_data_holders
from kinerja.core.errors import Conflict, ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.measurement.domain.achievement import TargetRange
from kinerja.measurement.selectors import PERIOD_LABELS, PERIOD_PARAMS, period_target_for
from kinerja.organizations.access import (
    UserScope,
    access_agency_for_planning,
)
from kinerja.organizations.models import Agency, Employee, OrgUnit
from kinerja.planning.models import Indicator
from kinerja.planning.selectors import indicator_list
from kinerja.workflow.domain.definition import MINUTES_PER_WORKING_DAY, SopDefinition
from kinerja.workflow.due import agency_calendar, due_at
from kinerja.workflow.models import SopVersion
from kinerja.workflow.selectors import sop_definition
from kinerja.workflow.services import instance_start

#: the unit's time to fill in its worksheet when no SOP says otherwise
DEFAULT_UNIT_MINUTES = 5 * MINUTES_PER_WORKING_DAY


def unit_step_minutes(definition: SopDefinition) -> int:
    """Standard working minutes from the SOP's start up to and including the units' step
    (`domain.units.units_step`; the whole SOP when it has none). Steps count once, in
    number order."""
    theirs = units_step(definition)
    total = 0
    for step in sorted(definition.steps, key=lambda s: s.number):
        if step.duration is not None:
            total += step.duration.working_minutes()
        if theirs is not None and step.number == theirs.number:
            break
    return total


def _target_fields(indicator: Indicator, *, year: int, collection: Collection) -> dict:
    target, _source, _line = period_target_for(
        indicator, year=year, period=collection.engine_period
    )
    if isinstance(target, TargetRange):
        return {"target_value": None, "target_low": target.low, "target_high": target.high}
    return {"target_value": target, "target_low": None, "target_high": None}


def _collected_indicators(
    *, actor: UserScope, agency: Agency, year: int
) -> list[tuple[Indicator, OrgUnit]]:
    """The agency's indicators with a PK line in the year, each with its responsible unit."""
    collected = []
    for indicator in indicator_list(scope=actor, agency=agency, year=year):
        unit = indicator.responsible_unit
        if unit is not None and not unit.is_archived and indicator.year_lines:  # type: ignore[attr-defined]
            collected.append((indicator, unit))
    return collected


def _unit_order(unit: OrgUnit) -> tuple[int, str]:
    return unit.sort_order, unit.name


def collection_create(
    *,
    actor: UserScope,
    agency: Agency,
    year: int,
    period: str,
    sop: SopVersion | None = None,
) -> Collection:
    """Create the collection of `agency` for `period` ("tw1"…"annual") of `year`.

    One worksheet per unit responsible for at least one indicator with a PK
    line in the year, a row per such indicator with the period's target and a
    default data holder; the deadline is the SOP's standard time up to the
    units' step (5 working days without an SOP). With `sop`, its instance is
    started and linked, and the collection is open.
    """
    access_agency_for_planning(actor, agency)
    if period not in PERIOD_PARAMS:
        raise ValidationFailed(
            {"period": [_("Choose a period: tw1, tw2, tw3, tw4, s1, s2 or annual.")]}
        )
    if sop is not None and sop.agency_id != agency.pk:
        raise ValidationFailed({"sop": [_("The SOP belongs to another agency.")]})
    minutes = unit_step_minutes(sop_definition(sop)) if sop is not None else DEFAULT_UNIT_MINUTES
    indicators = _collected_indicators(actor=actor, agency=agency, year=year)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one create at a time
        current = Collection.objects.filter(
            agency=agency, year=year, period=period, archived_at__isnull=True
        )
        if current.exists():
            raise Conflict(_("A data collection for this period already exists."))
        collection = Collection.objects.create(
            agency=agency, year=year, period=period, created_by_id=actor.user_id
        )
        started = timezone.now()
        deadline = due_at(
            calendar=agency_calendar(agency=agency, since=started),
            opened_at=started,
            minutes=minutes,
        )
        units = sorted({unit for _indicator, unit in indicators}, key=_unit_order)
        holders = default_data_holders(units=units)
        worksheets = {
            unit.pk: Worksheet.objects.create(collection=collection, unit=unit, deadline=deadline)
            for unit in units
        }
        WorksheetRow.objects.bulk_create(
            WorksheetRow(
                worksheet=worksheets[unit.pk],
                indicator=indicator,
                data_holder=holders.get(unit.pk),
                sort_order=order,
                **_target_fields(indicator, year=year, collection=collection),
            )
            for order, (indicator, unit) in enumerate(indicators)
        )
        if sop is not None:
            collection.process = instance_start(
                actor=actor,
                sop=sop,
                subject=_("Performance data collection %(period)s %(year)s")
                % {"period": PERIOD_LABELS[collection.engine_period], "year": year},
                year=year,
                period=period,
            )
            collection.status = Collection.Status.OPEN
            collection.save(update_fields=["process", "status", "updated_at"])
        change_record_create(instance=collection, action="create", user_id=actor.user_id)
    return collection


def _worksheet_locked(worksheet: Worksheet) -> Worksheet:
    """The worksheet read again under a row lock (its collection's status too), so its
    revision only ever grows; refused when the collection is locked."""
    locked = (
        Worksheet.objects.select_for_update(of=("self",))
        .select_related("collection__agency", "unit__agency")
        .get(pk=worksheet.pk)
    )
    _refuse_when_locked(locked)
    return locked


def _refuse_when_locked(worksheet: Worksheet) -> None:
    if worksheet.collection.status == Collection.Status.LOCKED:
        raise ValidationFailed(_("This data collection is locked; its data can no longer change."))


def worksheet_row_data_holder_set(
    *, actor: UserScope, row: WorksheetRow, data_holder: Employee | None
) -> WorksheetRow:
    """The coordinator names who supplies the row's data (None: nobody yet).

    The data holder must work in the agency today.
    """
    worksheet = row.worksheet
    agency = worksheet.collection.agency
    access_agency_for_planning(actor, agency)
    if (
        data_holder is not None
        and not data_holder_choices(agency=agency).filter(pk=data_holder.pk).exists()
    ):
        raise ValidationFailed({"data_holder": [_("The data holder must work in this agency.")]})
    with transaction.atomic():
        locked = _worksheet_locked(worksheet)
        old = WorksheetRow.objects.values_list("data_holder_id", flat=True).get(pk=row.pk)
        if old == (data_holder.pk if data_holder else None):
            return row
        row.data_holder = data_holder
        row.save(update_fields=["data_holder"])
        locked.revision += 1
        locked.save(update_fields=["revision", "updated_at"])
        change_record_create(
            instance=row,
            action="update",
            user_id=actor.user_id,
            changes={"data_holder": (old, row.data_holder_id)},
        )
    return row


def worksheet_deadline_set(
    *, actor: UserScope, worksheet: Worksheet, deadline: datetime.datetime
) -> Worksheet:
    """The coordinator moves a unit's deadline (the SOP's standard time is only the default)."""
    access_agency_for_planning(actor, worksheet.collection.agency)
    if timezone.is_naive(deadline):
        raise ValidationFailed({"deadline": [_("Give the deadline with its time zone.")]})
    with transaction.atomic():
        worksheet = _worksheet_locked(worksheet)
        old = worksheet.deadline
        if old == deadline:
            return worksheet
        worksheet.deadline = deadline
        worksheet.deadline_set = True
        worksheet.revision += 1
        worksheet.save(update_fields=["deadline", "deadline_set", "revision", "updated_at"])
        change_record_create(
            instance=worksheet,
            action="update",
            user_id=actor.user_id,
            changes={"deadline": (old, deadline)},
        )
    return worksheet


#: what a row holds before its first entry
_EMPTY = {
    "value": None,
    "numerator": None,
    "denominator": None,
    "analysis": "",
    "obstacles": "",
    "follow_up": "",
}


def entry_record(
    *,
    actor: UserScope,
    row: WorksheetRow,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    analysis: str = "",
    obstacles: str = "",
    follow_up: str = "",
    expected_version: int,
) -> Entry | None:
    """Add a version of the row's data; None when nothing changed.

    `expected_version` is the version the user saw (0 before the first entry);
    another one means someone entered data meanwhile: Conflict. Refused while
    the worksheet is submitted or approved and when the collection is locked.
    """
    access_row_for_entry(actor, row)
    new = {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "analysis": analysis.strip(),
        "obstacles": obstacles.strip(),
        "follow_up": follow_up.strip(),
    }
    with transaction.atomic():
        worksheet = _worksheet_locked(row.worksheet)
        if worksheet.status not in Worksheet.EDITABLE:
            raise ValidationFailed(
                _("This worksheet has been submitted; its data can no longer change.")
            )
        current = Entry.objects.filter(row=row).order_by("-version").first()
        current_version = current.version if current is not None else 0
        if current_version != expected_version:
            raise Conflict(_("Someone else changed this data meanwhile; reload it and try again."))
        seen = {field: getattr(current, field) for field in new} if current else _EMPTY
        if seen == new:
            return None
        entry = Entry.objects.create(
            row=row,
            version=current_version + 1,
            entered_by_id=actor.user_id,
            submission_no=worksheet.submission_count + 1,
            **new,
        )
        worksheet.revision += 1
        worksheet.save(update_fields=["revision", "updated_at"])
    return entry


def collection_settings_set(
    *, actor: UserScope, agency: Agency, deviation_percent: Decimal
) -> CollectionSettings:
    """The agency's planners set the tolerance of the soft validation rules (0–1000 %)."""
    access_agency_for_planning(actor, agency)
    if not Decimal(0) < deviation_percent <= Decimal(1000):
        raise ValidationFailed(
            {"deviation_percent": [_("Enter a percentage above 0 and at most 1.000.")]}
        )
    with transaction.atomic():
        settings, created = CollectionSettings.objects.select_for_update().get_or_create(
            agency=agency, defaults={"deviation_percent": deviation_percent}
        )
        old = None if created else settings.deviation_percent
        if not created and old == deviation_percent:
            return settings
        settings.deviation_percent = deviation_percent
        settings.save(update_fields=["deviation_percent", "updated_at"])
        change_record_create(
            instance=settings,
            action="create" if created else "update",
            user_id=actor.user_id,
            changes={"deviation_percent": (old, deviation_percent)},
        )
    return settings
