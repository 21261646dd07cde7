"""Views that belong to no single app: the dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.organizations.dashboard import dashboard_for

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(text: str | None) -> int | None:
    """`?year=2025` picks the plans' year; anything else means the current year."""
    if text and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return None


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The start page; what it shows depends on the user's role (see `dashboard_for`)."""
    board = dashboard_for(scope=request.scope, year=_year(request.GET.get("year")))  # type: ignore[attr-defined]
    return render(request, "core/dashboard.html", {"board": board})
