"""Writes of measurement: recording a realisasi, keeping every version."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.errors import Conflict, ValidationFailed
from kinerja.measurement.locks import period_locked
from kinerja.measurement.models import Realization, RealizationRevision
from kinerja.organizations.access import (
    UserScope,
    access_agency_for_planning,
    access_unit_for_edit,
)
from kinerja.organizations.models import User
from kinerja.planning.models import Indicator


def realization_record(
    *,
    actor: UserScope,
    indicator: Indicator,
    year: int,
    quarter: int,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    source: str = Realization.Source.MANUAL,
    note: str = "",
    expected_version: int | None = None,
    check_access: bool = True,
) -> Realization:
    """Set an indicator's realisasi for a quarter; the old value stays as a revision.

    `expected_version` (the version the user saw) turns a concurrent edit into a
    `Conflict` instead of silently overwriting it. `check_access=False` is for
    trusted callers that checked the whole batch already (the planning import).
    A quarter another record has settled (`locks`, a locked data collection) is
    refused to every other source.
    """
    if quarter not in (1, 2, 3, 4):
        raise ValidationFailed({"quarter": [_("The quarter must be 1 to 4.")]})
    if check_access:
        unit = indicator.responsible_unit
        if unit is not None:
            access_unit_for_edit(actor, unit)
        else:
            access_agency_for_planning(actor, indicator.objective.plan.agency)
    if locked := period_locked(indicator, year=year, quarter=quarter, source=source):
        raise ValidationFailed(locked)
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    with transaction.atomic():
        current = (
            Realization.objects.select_for_update()
            .filter(indicator=indicator, year=year, quarter=quarter)
            .first()
        )
        if current is None:
            if expected_version not in (None, 0):
                raise Conflict(_("Someone else has just changed this value. Reload and try again."))
            current = Realization.objects.create(
                indicator=indicator,
                year=year,
                quarter=quarter,
                value=value,
                numerator=numerator,
                denominator=denominator,
                source=source,
                recorded_by=user,
            )
            previous = None
        else:
            if expected_version is not None and expected_version != current.version:
                raise Conflict(_("Someone else has just changed this value. Reload and try again."))
            if (current.value, current.numerator, current.denominator) == (
                value,
                numerator,
                denominator,
            ):
                return current
            previous = current.value
            current.value, current.numerator, current.denominator = value, numerator, denominator
            current.version += 1
            current.source = source
            current.recorded_by = user
            current.save()
        RealizationRevision.objects.create(
            realization=current,
            version=current.version,
            value=value,
            numerator=numerator,
            denominator=denominator,
            previous_value=previous,
            source=source,
            note=note,
            recorded_by=user,
        )
    return current
