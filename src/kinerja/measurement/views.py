"""Pages of measurement: the capaian table of an agency for a year and period."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.core.errors import AccessDenied, NotFound, ValidationFailed
from kinerja.measurement import selectors
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency
from kinerja.organizations.selectors import agency_list, default_agency
from kinerja.planning.selectors import plan_years, working_year

TEMPLATE = "measurement/achievement.html"


@login_required
@require_GET
def achievement(request: HttpRequest) -> HttpResponse:
    """GET /capaian/?agency=<id>&year=<yyyy>&period=tw1|…|annual; htmx gets the table only.

    Bad parameters get the page back with the message (400); an agency outside
    the user's scope is a 404.
    """
    scope: UserScope = request.scope  # type: ignore[attr-defined]
    is_htmx = bool(request.htmx)  # type: ignore[attr-defined]
    template = f"{TEMPLATE}#achievement-table" if is_htmx else TEMPLATE
    agencies = list(agency_list(scope=scope))
    context: dict[str, Any] = {
        "agencies": agencies,
        "period_choices": [
            (param, selectors.PERIOD_LABELS[period])
            for param, period in selectors.PERIOD_PARAMS.items()
        ],
        "period": request.GET.get("period", ""),
        "years": [],
        "table": None,
        "errors": {},
    }
    try:
        agency = _chosen_agency(request, scope, agencies)
        if agency is None:
            context["errors"] = {"agency": [_("Your account is not assigned to any agency.")]}
            return render(request, template, context)
        context["agency"] = agency
        context["years"] = plan_years(scope=scope, agencies=[agency])
        year = selectors.parse_year(request.GET.get("year"))
        period = selectors.parse_period(request.GET.get("period"))
        if year is None:
            year = working_year(scope=scope, agencies=[agency])
        table = selectors.achievement_table(scope=scope, agency=agency, year=year, period=period)
    except ValidationFailed as exc:
        context["errors"] = exc.errors
        # htmx swaps only successful responses, so the partial comes back as 200.
        return render(request, template, context, status=200 if is_htmx else 400)
    except (NotFound, AccessDenied) as exc:
        raise Http404(exc.message) from exc
    context.update(
        year=year,
        years=sorted({*context["years"], year}, reverse=True),
        period=selectors.period_param(period),
        table=table,
    )
    return render(request, template, context)


def _chosen_agency(request: HttpRequest, scope: UserScope, agencies: list[Agency]) -> Agency | None:
    """The agency asked for (NotFound outside the scope), else the user's own."""
    raw = request.GET.get("agency", "").strip()
    if not raw:
        return default_agency(scope=scope)
    if not raw.isdigit():
        raise ValidationFailed({"agency": [_("Choose an agency from the list.")]})
    for agency in agencies:
        if agency.pk == int(raw):
            return agency
    raise NotFound(_("Agency not found."))
