"""A locked collection settles its quarter's realisasi (`measurement.locks`): nothing but the
collection itself — a reopening and a new approval — changes them afterwards (the
planning import and manual entry are refused with the reason)."""

from django.utils.translation import gettext as _

from kinerja.collection.models import Collection
from kinerja.measurement.locks import register_period_lock
from kinerja.measurement.models import Realization
from kinerja.planning.models import Indicator


def locked_quarter(indicator: Indicator, year: int, quarter: int, source: str) -> str:
    """A quarter whose collection is locked keeps the realisasi its approval recorded."""
    if source == Realization.Source.COLLECTION:
        return ""
    locked = Collection.objects.filter(
        agency_id=indicator.objective.plan.agency_id,
        year=year,
        period=f"tw{quarter}",
        status=Collection.Status.LOCKED,
        archived_at__isnull=True,
    ).exists()
    if not locked:
        return ""
    return _(
        "The realisation of %(indicator)s for quarter %(quarter)s %(year)s is locked by its "
        "data collection; only the Kepala Dinas can reopen it."
    ) % {"indicator": indicator.code, "quarter": quarter, "year": year}


def register() -> None:
    register_period_lock(locked_quarter)
