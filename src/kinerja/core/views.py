"""Views that belong to no single app: the dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.organizations.dashboard import dashboard_for


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The start page; what it shows depends on the user's role (see `dashboard_for`)."""
    board = dashboard_for(scope=request.scope)  # type: ignore[attr-defined]
    return render(request, "core/dashboard.html", {"board": board})
