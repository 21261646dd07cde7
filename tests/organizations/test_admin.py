"""The Django admin for the organisation's master data."""

import pytest
from django.urls import reverse

from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    Government,
    OrgUnit,
    Position,
    Team,
    TeamMember,
    User,
)
from tests.factories import AssignmentFactory, EmployeeFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = [User, Government, Agency, OrgUnit, Position, Employee, Assignment, Team]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def data(agency):
    unit = OrgUnitFactory(agency=agency)
    assignment = AssignmentFactory(position__agency=agency, position__unit=unit)
    team = Team.objects.create(agency=agency, kind="tim_sakip", name="Tim SAKIP", year=2025)
    TeamMember.objects.create(team=team, employee=assignment.employee)
    return {
        User: assignment.employee.user,
        Government: agency.government,
        Agency: agency,
        OrgUnit: unit,
        Position: assignment.position,
        Employee: assignment.employee,
        Assignment: assignment,
        Team: team,
    }


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_organisation_model_has_list_add_and_change_pages(admin_client, data, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    assert admin_client.get(admin_url(model, "change", data[model].pk)).status_code == 200


def test_the_user_admin_sets_the_administered_government(admin_client, agency):
    user = UserFactory()
    page = admin_client.get(admin_url(User, "change", user.pk)).text
    assert 'name="administered_government"' in page


def test_employees_are_found_by_nip_or_name(admin_client):
    EmployeeFactory(name="Siti Aminah", nip="197704151996122001")
    EmployeeFactory(name="Budi Santoso", nip="198001012005011002")
    page = admin_client.get(admin_url(Employee, "changelist"), {"q": "197704151996122001"}).text
    assert "Siti Aminah" in page and "Budi Santoso" not in page
    assert "19770415 199612 2 001" in page
    page = admin_client.get(admin_url(Employee, "changelist"), {"q": "Budi"}).text
    assert "Budi Santoso" in page and "Siti Aminah" not in page


def test_a_printed_nip_is_saved_as_digits_and_a_wrong_one_explained(admin_client):
    form = {
        "name": "Siti Aminah",
        "nip": "19770415 199612 2 001",
        "rank": "",
        "grade": "",
        "email": "",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    response = admin_client.post(admin_url(Employee, "add"), form)
    assert response.status_code == 302
    assert Employee.objects.get(name="Siti Aminah").nip == "197704151996122001"
    response = admin_client.post(
        admin_url(Employee, "add"), {**form, "name": "Salah", "nip": "19770415 199612 7 001"}
    )
    assert response.status_code == 200
    assert "Digit 15 of the NIP must be 1 (male) or 2 (female)." in response.text
    assert not Employee.objects.filter(name="Salah").exists()


def test_inlines_show_the_parts(admin_client, data):
    agency_page = admin_client.get(admin_url(Agency, "change", data[Agency].pk)).text
    assert data[OrgUnit].name in agency_page and data[Position].title in agency_page
    employee_page = admin_client.get(admin_url(Employee, "change", data[Employee].pk)).text
    assert "assignments-0-position" in employee_page
    team_page = admin_client.get(admin_url(Team, "change", data[Team].pk)).text
    assert "members-0-employee" in team_page


def test_staff_without_permission_cannot_open_the_admin(client, agency):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(admin_url(Employee, "changelist"))
    assert response.status_code == 302
