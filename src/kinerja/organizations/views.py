"""Pages that show and manage the organisation: agencies, units, positions, employees, teams.

Thin: parse with a form, call a selector or service, render. Objects outside
the user's scope are 404 (selectors raise NotFound); changing what one may only
see is 403 (services raise AccessDenied); both through `service_errors`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.core.errors import AccessDenied
from kinerja.core.views_errors import errors_to_form, service_errors
from kinerja.organizations import selectors, services
from kinerja.organizations.access import (
    UserScope,
    access_agency_for_organization,
    access_employee_for_edit,
)
from kinerja.organizations.domain.nip import InvalidNip, parse_nip
from kinerja.organizations.forms import (
    AssignmentEndForm,
    AssignmentForm,
    EmployeeCreateForm,
    EmployeeForm,
    PositionForm,
    ReasonForm,
    TeamForm,
    TeamMemberForm,
    UnitForm,
)
from kinerja.organizations.models import Agency, Employee, Team

GET_POST = require_http_methods(["GET", "POST"])


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _agency(request: HttpRequest, agency_id: int) -> Agency:
    return selectors.agency_get(scope=_scope(request), agency_id=agency_id)


def _agency_url(agency: Agency) -> str:
    return reverse("organizations:agency_detail", args=[agency.pk])


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "organizations/form.html", {"form": form, **context})


def _reason(request: HttpRequest) -> str:
    """The optional reason posted with an archiving action ("" when missing or too long)."""
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


# --- agencies --------------------------------------------------------------------------


@login_required
@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.agencies_by_government(scope=_scope(request))
    return render(request, "organizations/agency_list.html", {"groups": groups})


@login_required
@require_GET
@service_errors
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = _agency(request, agency_id)
    return render(
        request,
        "organizations/agency_detail.html",
        {
            "agency": agency,
            "structure": selectors.agency_structure(scope=scope, agency=agency),
            "teams": selectors.team_list(scope=scope, agency=agency),
        },
    )


# --- units -----------------------------------------------------------------------------


@login_required
@GET_POST
@service_errors
def unit_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = access_agency_for_organization(scope, _agency(request, agency_id))
    form = UnitForm(request.POST or None, scope=scope, agency=agency)
    if form.is_valid():
        with errors_to_form(form):
            unit = services.unit_create(actor=scope, agency=agency, **form.cleaned_data)
            messages.success(request, _("Unit %(name)s was added.") % {"name": unit.name})
            return redirect(_agency_url(agency))
    return _form_page(request, form, agency=agency, title=_("New unit"))


@login_required
@GET_POST
@service_errors
def unit_update(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = _scope(request)
    unit = selectors.unit_get(scope=scope, unit_id=unit_id)
    agency = access_agency_for_organization(scope, unit.agency)
    initial = {
        "name": unit.name,
        "kind": unit.kind,
        "code": unit.code,
        "parent": unit.parent_id,
        "sort_order": unit.sort_order,
    }
    form = UnitForm(request.POST or None, initial=initial, scope=scope, agency=agency, unit=unit)
    if form.is_valid():
        with errors_to_form(form):
            services.unit_update(actor=scope, unit=unit, **form.cleaned_data)
            messages.success(request, _("Unit %(name)s was saved.") % {"name": unit.name})
            return redirect(_agency_url(agency))
    archive_form = ReasonForm()
    return _form_page(
        request,
        form,
        agency=agency,
        title=_("Edit unit %(name)s") % {"name": unit.name},
        unit=unit,
        archive_form=archive_form,
    )


@login_required
@require_POST
@service_errors
def unit_archive(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = _scope(request)
    unit = selectors.unit_get(scope=scope, unit_id=unit_id)
    services.unit_archive(actor=scope, unit=unit, reason=_reason(request))
    messages.success(request, _("Unit %(name)s was archived.") % {"name": unit.name})
    return redirect(_agency_url(unit.agency))


# --- positions and assignments ---------------------------------------------------------


@login_required
@GET_POST
@service_errors
def position_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = access_agency_for_organization(scope, _agency(request, agency_id))
    initial = {"unit": request.GET.get("unit")}
    form = PositionForm(request.POST or None, initial=initial, scope=scope, agency=agency)
    if form.is_valid():
        with errors_to_form(form):
            position = services.position_create(actor=scope, agency=agency, **form.cleaned_data)
            messages.success(
                request, _("Position %(title)s was added.") % {"title": position.title}
            )
            return redirect(_agency_url(agency))
    return _form_page(request, form, agency=agency, title=_("New position"))


@login_required
@GET_POST
@service_errors
def position_update(request: HttpRequest, position_id: int) -> HttpResponse:
    scope = _scope(request)
    position = selectors.position_get(scope=scope, position_id=position_id)
    agency = access_agency_for_organization(scope, position.agency)
    initial = {
        "title": position.title,
        "code": position.code,
        "role_key": position.role_key,
        "unit": position.unit_id,
        "superior": position.superior_id,
        "echelon": position.echelon,
        "sort_order": position.sort_order,
    }
    form = PositionForm(
        request.POST or None, initial=initial, scope=scope, agency=agency, position=position
    )
    if form.is_valid():
        with errors_to_form(form):
            services.position_update(actor=scope, position=position, **form.cleaned_data)
            messages.success(
                request, _("Position %(title)s was saved.") % {"title": position.title}
            )
            return redirect(_agency_url(agency))
    return _form_page(
        request, form, agency=agency, title=_("Edit position %(title)s") % {"title": position.title}
    )


@login_required
@GET_POST
@service_errors
def assignment_create(request: HttpRequest, position_id: int) -> HttpResponse:
    scope = _scope(request)
    position = selectors.position_get(scope=scope, position_id=position_id)
    agency = access_agency_for_organization(scope, position.agency)
    form = AssignmentForm(request.POST or None, scope=scope, position=position)
    if form.is_valid():
        with errors_to_form(form):
            assignment = services.assignment_create(
                actor=scope, position=position, **form.cleaned_data
            )
            messages.success(
                request,
                _("%(name)s was assigned to %(position)s.")
                % {"name": assignment.employee.name, "position": position.title},
            )
            return redirect(_agency_url(agency))
    return _form_page(
        request,
        form,
        agency=agency,
        title=_("Assign an official to %(title)s") % {"title": position.title},
    )


@login_required
@GET_POST
@service_errors
def assignment_end(request: HttpRequest, assignment_id: int) -> HttpResponse:
    scope = _scope(request)
    assignment = selectors.assignment_get(scope=scope, assignment_id=assignment_id)
    agency = access_agency_for_organization(scope, assignment.position.agency)
    form = AssignmentEndForm(request.POST or None, initial={"end_date": assignment.end_date})
    if form.is_valid():
        with errors_to_form(form):
            services.assignment_end(actor=scope, assignment=assignment, **form.cleaned_data)
            messages.success(request, _("The assignment was ended."))
            return redirect("organizations:employee_detail", employee_id=assignment.employee_id)
    return _form_page(
        request,
        form,
        agency=agency,
        title=_("End the assignment of %(name)s as %(position)s")
        % {"name": assignment.employee.name, "position": assignment.position.title},
    )


# --- employees -------------------------------------------------------------------------


@login_required
@require_GET
@service_errors
def employee_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = _agency(request, agency_id)
    employees = selectors.employee_list(scope=scope, agency=agency)
    return render(
        request, "organizations/employee_list.html", {"agency": agency, "employees": employees}
    )


@login_required
@GET_POST
@service_errors
def employee_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = access_agency_for_organization(scope, _agency(request, agency_id))
    initial = {"position": request.GET.get("position")}
    form = EmployeeCreateForm(request.POST or None, initial=initial, scope=scope, agency=agency)
    if form.is_valid():
        with errors_to_form(form):
            employee = services.employee_create(actor=scope, **form.cleaned_data)
            messages.success(request, _("%(name)s was registered.") % {"name": employee.name})
            return redirect("organizations:employee_detail", employee_id=employee.pk)
    return _form_page(request, form, agency=agency, title=_("New employee"))


def _can_edit_employee(scope: UserScope, employee: Employee) -> bool:
    """Whether to show the edit button: the rule of `services.employee_update`."""
    try:
        access_employee_for_edit(scope, employee)
    except AccessDenied:
        return False
    return True


def _nip_details(nip: str | None) -> dict[str, Any] | None:
    """PNS or PPPK and the birth date, decoded from the NIP for display."""
    try:
        parsed = parse_nip(nip or "")
    except InvalidNip:
        return None
    return {"kind": parsed.kind.value.upper(), "birth_date": parsed.birth_date}


@login_required
@require_GET
@service_errors
def employee_detail(request: HttpRequest, employee_id: int) -> HttpResponse:
    scope = _scope(request)
    employee = selectors.employee_get(scope=scope, employee_id=employee_id)
    return render(
        request,
        "organizations/employee_detail.html",
        {
            "employee": employee,
            "can_edit": _can_edit_employee(scope, employee),
            "nip_details": _nip_details(employee.nip),
        },
    )


@login_required
@GET_POST
@service_errors
def employee_update(request: HttpRequest, employee_id: int) -> HttpResponse:
    scope = _scope(request)
    employee = access_employee_for_edit(
        scope, selectors.employee_get(scope=scope, employee_id=employee_id)
    )
    initial = {
        "name": employee.name,
        "nip": employee.nip or "",
        "rank": employee.rank,
        "grade": employee.grade,
        "email": employee.email,
    }
    form = EmployeeForm(request.POST or None, initial=initial)
    if form.is_valid():
        with errors_to_form(form):
            services.employee_update(actor=scope, employee=employee, **form.cleaned_data)
            messages.success(request, _("%(name)s was saved.") % {"name": employee.name})
            return redirect("organizations:employee_detail", employee_id=employee.pk)
    return _form_page(request, form, title=_("Edit employee %(name)s") % {"name": employee.name})


# --- teams -----------------------------------------------------------------------------


@login_required
@GET_POST
@service_errors
def team_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = access_agency_for_organization(scope, _agency(request, agency_id))
    form = TeamForm(request.POST or None)
    if form.is_valid():
        with errors_to_form(form):
            team = services.team_create(actor=scope, agency=agency, **form.cleaned_data)
            messages.success(request, _("Team %(name)s was set up.") % {"name": team.name})
            return redirect("organizations:team_detail", team_id=team.pk)
    return _form_page(request, form, agency=agency, title=_("New team"))


def _team_page(
    request: HttpRequest, team: Team, form: TeamMemberForm | None = None, **kw: Any
) -> HttpResponse:
    scope = _scope(request)
    if form is None and scope.can_organize_agency(team.agency):
        form = TeamMemberForm(scope=scope, team=team)
    template = "organizations/team_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#team-members"
    return render(request, template, {"team": team, "agency": team.agency, "form": form}, **kw)


@login_required
@require_GET
@service_errors
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    return _team_page(request, selectors.team_get(scope=_scope(request), team_id=team_id))


@login_required
@require_POST
@service_errors
def team_member_add(request: HttpRequest, team_id: int) -> HttpResponse:
    """Add a member; htmx swaps the member list in place, otherwise back to the team page."""
    scope = _scope(request)
    team = selectors.team_get(scope=scope, team_id=team_id)
    access_agency_for_organization(scope, team.agency)
    form = TeamMemberForm(request.POST, scope=scope, team=team)
    if form.is_valid():
        with errors_to_form(form):
            member = services.team_member_add(actor=scope, team=team, **form.cleaned_data)
            if request.htmx:  # type: ignore[attr-defined]
                return _team_page(request, selectors.team_get(scope=scope, team_id=team.pk))
            messages.success(
                request, _("%(name)s joined the team.") % {"name": member.employee.name}
            )
            return redirect("organizations:team_detail", team_id=team.pk)
    return _team_page(request, team, form, status=200 if request.htmx else 400)  # type: ignore[attr-defined]


@login_required
@require_POST
@service_errors
def team_member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    scope = _scope(request)
    member = selectors.team_member_get(scope=scope, member_id=member_id)
    services.team_member_remove(actor=scope, member=member, reason=_reason(request))
    if request.htmx:  # type: ignore[attr-defined]
        return _team_page(request, selectors.team_get(scope=scope, team_id=member.team_id))
    messages.success(request, _("%(name)s left the team.") % {"name": member.employee.name})
    return redirect("organizations:team_detail", team_id=member.team_id)
