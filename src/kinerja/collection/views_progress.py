"""The completeness and timeliness pages: one collection per unit, one government per agency.

Thin: parse, call `collection.progress`, render. Who sees what is the
selectors' business (NotFound → 404).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.collection import progress, selectors
from kinerja.collection.models import PERIOD_CHOICES
from kinerja.core.errors import NotFound, ValidationFailed
from kinerja.core.views_errors import service_errors
from kinerja.measurement.selectors import parse_period, parse_year, period_param
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency
from kinerja.planning.selectors import working_year


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined]


def _unit_id(request: HttpRequest) -> int | None:
    """`?unit=<id>`: the unit whose indicators open (drill-down); absent: none."""
    raw = request.GET.get("unit", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise NotFound("unit")
    return int(raw)


@login_required
@require_GET
@service_errors
def collection_progress(request: HttpRequest, collection_id: int) -> HttpResponse:
    """GET ?unit=<id>: every unit's figures; the unit asked for shows its indicators."""
    scope = _scope(request)
    collection = selectors.collection_get(scope=scope, collection_id=collection_id)
    report = progress.collection_progress(scope=scope, collection=collection)
    open_unit = _unit_id(request)
    if open_unit is not None and all(u.worksheet.unit_id != open_unit for u in report.units):
        raise NotFound("unit")
    return render(
        request,
        "collection/progress.html",
        {"collection": collection, "report": report, "open_unit": open_unit},
    )


@login_required
@require_GET
@service_errors
def government_progress(request: HttpRequest, government_id: int) -> HttpResponse:
    """GET ?year=&period=: every agency's collection of the period (defaults: the working
    year, and the period closing last with any collection in it, else TW I)."""
    scope = _scope(request)
    government = progress.government_get(scope=scope, government_id=government_id)
    context: dict[str, object] = {"government": government, "periods": PERIOD_CHOICES}
    try:
        year = parse_year(request.GET.get("year"))
        raw_period = request.GET.get("period", "").strip()
        period = period_param(parse_period(raw_period)) if raw_period else None
    except ValidationFailed as exc:
        context["errors"] = exc.errors
        return render(request, "collection/progress_government.html", context, status=400)
    if year is None:
        year = working_year(scope=scope, agencies=Agency.objects.filter(government=government))
    if period is None:
        period = progress.government_default_period(government=government, year=year)
    lines = progress.government_progress(
        scope=scope, government=government, year=year, period=period
    )
    context.update(
        year=year,
        period=period,
        period_label=dict(PERIOD_CHOICES)[period],
        lines=lines,
        summary=progress.government_summary(lines),
    )
    return render(request, "collection/progress_government.html", context)
