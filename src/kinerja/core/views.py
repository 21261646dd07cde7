"""Views that belong to no single app: the dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.organizations.dashboard import dashboard_for
from kinerja.organizations.selectors import agency_list
from kinerja.planning.selectors import working_year

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(text: str | None) -> int | None:
    """`?year=2025` picks the plans' year; anything else means the working year."""
    if text and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return None


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The start page; what it shows depends on the user's role (see `dashboard_for`)."""
    scope = request.scope  # type: ignore[attr-defined]
    year = _year(request.GET.get("year")) or working_year(
        scope=scope, agencies=agency_list(scope=scope)
    )
    board = dashboard_for(scope=scope, year=year)
    return render(request, "core/dashboard.html", {"board": board})
