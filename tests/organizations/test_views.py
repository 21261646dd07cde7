"""The organisation pages: what each kind of user gets, denials on every page, query counts."""

import datetime
import re
from dataclasses import dataclass

import pytest
import time_machine
from django.urls import reverse

from kinerja.core.models import ChangeRecord
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    OrgUnit,
    Position,
    RoleKey,
    Team,
    TeamMember,
)
from tests.factories import (
    AssignmentFactory,
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
    UserFactory,
    staff,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    agency: Agency
    unit: OrgUnit
    position: Position
    employee: Employee
    assignment: Assignment
    team: Team
    member: TeamMember


@pytest.fixture
def world(agency, organizer):
    unit = OrgUnitFactory(agency=agency, name="Bidang Koperasi")
    position = PositionFactory(
        agency=agency, unit=unit, role_key=RoleKey.KEPALA_BIDANG, title="Kepala Bidang Koperasi"
    )
    assignment = AssignmentFactory(
        position=position,
        employee=EmployeeFactory(name="Ir. Made Sudarta", nip="197704151996121001"),
    )
    team = Team.objects.create(agency=agency, kind=Team.Kind.SAKIP, name="Tim SAKIP", year=2025)
    member = TeamMember.objects.create(team=team, employee=organizer.employee)
    return World(
        agency=agency,
        unit=unit,
        position=position,
        employee=assignment.employee,
        assignment=assignment,
        team=team,
        member=member,
    )


READ_PAGES = {
    "agency_detail": lambda w: [w.agency.pk],
    "employee_list": lambda w: [w.agency.pk],
    "employee_detail": lambda w: [w.employee.pk],
    "team_detail": lambda w: [w.team.pk],
}
#: write pages that show a form on GET
FORM_PAGES = {
    "unit_create": lambda w: [w.agency.pk],
    "unit_update": lambda w: [w.unit.pk],
    "position_create": lambda w: [w.agency.pk],
    "position_update": lambda w: [w.position.pk],
    "assignment_create": lambda w: [w.position.pk],
    "assignment_end": lambda w: [w.assignment.pk],
    "employee_create": lambda w: [w.agency.pk],
    "employee_update": lambda w: [w.employee.pk],
    "team_create": lambda w: [w.agency.pk],
}
#: write pages that only take POST
POST_PAGES = {
    "unit_archive": lambda w: [w.unit.pk],
    "team_member_add": lambda w: [w.team.pk],
    "team_member_remove": lambda w: [w.member.pk],
}
WRITE_PAGES = {**FORM_PAGES, **POST_PAGES}


def url(name, world):
    pages = {**READ_PAGES, **WRITE_PAGES}
    return reverse(f"organizations:{name}", args=pages[name](world))


def unchanged(world):
    """Nothing in the world was written."""
    world.unit.refresh_from_db()
    world.assignment.refresh_from_db()
    return (
        world.unit.archived_at is None
        and world.assignment.end_date is None
        and TeamMember.objects.filter(pk=world.member.pk, archived_at__isnull=True).exists()
    )


# --- denials -----------------------------------------------------------------------------


def methods(name):
    if name in READ_PAGES:
        return ["get"]
    if name in POST_PAGES:
        return ["post"]
    return ["get", "post"]


ALL_PAGES = [*READ_PAGES, *WRITE_PAGES]
POST_DATA = {"reason": "x", "end_date": "2025-01-01", "role": "anggota", "name": "X"}


@pytest.mark.parametrize("name", ALL_PAGES)
def test_a_user_of_another_government_gets_404_on_every_page(client, world, outsider, name):
    client.force_login(outsider)
    for method in methods(name):
        response = getattr(client, method)(url(name, world), POST_DATA)
        assert response.status_code == 404, method
    assert unchanged(world)


@pytest.mark.parametrize("name", ALL_PAGES)
def test_the_head_of_a_sibling_agency_gets_404_on_every_page(client, world, sibling_agency, name):
    client.force_login(staff(agency=sibling_agency, role_key=RoleKey.KEPALA_DINAS))
    for method in methods(name):
        response = getattr(client, method)(url(name, world), POST_DATA)
        assert response.status_code == 404, method
    assert unchanged(world)


def test_a_former_organizer_of_the_agency_gets_404(client, world, organizer):
    Assignment.objects.filter(employee__user=organizer).update(end_date=datetime.date(2024, 12, 31))
    client.force_login(organizer)
    assert client.get(url("agency_detail", world)).status_code == 404
    assert client.post(url("unit_archive", world)).status_code == 404
    assert unchanged(world)


@pytest.mark.parametrize("name", list(FORM_PAGES))
def test_a_staff_member_is_refused_every_form(client, world, clerk, name):
    client.force_login(clerk)
    assert client.get(url(name, world)).status_code == 403


@pytest.mark.parametrize("name", list(WRITE_PAGES))
def test_a_staff_member_cannot_post(client, world, clerk, name):
    client.force_login(clerk)
    response = client.post(url(name, world), {**POST_DATA, "employee": world.employee.pk})
    assert response.status_code == 403
    assert unchanged(world)


@pytest.mark.parametrize("name", list(READ_PAGES))
def test_a_staff_member_reads_the_agency_pages(client, world, clerk, name):
    client.force_login(clerk)
    response = client.get(url(name, world))
    assert response.status_code == 200
    assert reverse("organizations:unit_create", args=[world.agency.pk]) not in response.text


#: the 403 message of each write page for someone who may read but not change
ORGANIZATION_DENIED = "You may not change the organisation of this agency."
EMPLOYEE_DENIED = "You may not change this employee&#x27;s data."


def denial(name):
    return EMPLOYEE_DENIED if name == "employee_update" else ORGANIZATION_DENIED


@pytest.mark.parametrize("name", list(WRITE_PAGES))
@pytest.mark.parametrize("role", [RoleKey.KASUBBAG_PROGRAM, RoleKey.FUNGSIONAL_UMUM])
def test_planners_may_not_restructure_the_organisation(client, world, role, name):
    """The planner roles plan with the organisation; the secretariat keeps it."""
    client.force_login(staff(agency=world.agency, role_key=role))
    for method in methods(name):
        response = getattr(client, method)(
            url(name, world), {**POST_DATA, "employee": world.employee.pk}
        )
        assert response.status_code == 403, method
        assert denial(name) in response.text
    assert unchanged(world)


@pytest.mark.parametrize("name", list(READ_PAGES))
def test_planners_see_no_buttons_that_change_the_organisation(client, world, planner, name):
    client.force_login(planner)
    text = client.get(url(name, world)).text
    for page in WRITE_PAGES:
        assert url(page, world) not in text, page


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_users_are_sent_to_the_login(client, world, name):
    for method in methods(name):
        response = getattr(client, method)(url(name, world), POST_DATA)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert unchanged(world)


def test_the_agency_list_shows_only_what_the_scope_sees(client, world, outsider, other_agency):
    client.force_login(outsider)
    response = client.get(reverse("organizations:agency_list"))
    assert other_agency.name in response.text
    assert world.agency.name not in response.text


def test_the_government_admin_sees_every_agency_of_the_government(
    client, world, sibling_agency, other_agency
):
    client.force_login(UserFactory(administered_government=world.agency.government))
    text = client.get(reverse("organizations:agency_list")).text
    assert world.agency.name in text and sibling_agency.name in text
    assert other_agency.name not in text
    assert client.get(url("unit_create", world)).status_code == 200


# --- pages for the organizer ---------------------------------------------------------------


@pytest.mark.parametrize("name", [*READ_PAGES, *FORM_PAGES])
def test_the_organizer_opens_every_page(client, world, organizer, name):
    client.force_login(organizer)
    assert client.get(url(name, world)).status_code == 200


@pytest.mark.parametrize("name", list(FORM_PAGES))
@pytest.mark.parametrize("who", ["secretary", "government_admin", "superuser"])
def test_the_secretary_government_admin_and_superuser_open_every_form(client, world, who, name):
    users = {
        "secretary": lambda: staff(agency=world.agency, role_key=RoleKey.SEKRETARIS),
        "government_admin": lambda: UserFactory(administered_government=world.agency.government),
        "superuser": lambda: UserFactory(is_superuser=True),
    }
    client.force_login(users[who]())
    assert client.get(url(name, world)).status_code == 200


@pytest.mark.parametrize("name", list(READ_PAGES))
def test_the_organizer_sees_the_buttons_of_each_page(client, world, organizer, name):
    buttons = {
        "agency_detail": ["unit_create", "unit_update", "position_update", "assignment_create"],
        "employee_list": ["employee_create"],
        "employee_detail": ["employee_update", "assignment_end"],
        "team_detail": ["team_member_add", "team_member_remove"],
    }
    client.force_login(organizer)
    text = client.get(url(name, world)).text
    for page in buttons[name]:
        assert url(page, world) in text, page


def test_agency_detail_shows_the_tree_holders_and_acting_badges(client, world, organizer):
    agency = world.agency
    seksi = OrgUnitFactory(agency=agency, parent=world.unit, name="Seksi Kelembagaan", kind="seksi")
    kasi = PositionFactory(agency=agency, unit=seksi, title="Kepala Seksi Kelembagaan")
    AssignmentFactory(
        position=kasi, kind=Assignment.Kind.PLT, employee=EmployeeFactory(name="Rina Plt")
    )
    today = datetime.date.today()
    AssignmentFactory(
        position=world.position,
        kind=Assignment.Kind.PLH,
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=5),
        employee=EmployeeFactory(name="Andi Plh"),
    )
    PositionFactory(agency=agency, unit=seksi, title="Analis Kosong")
    client.force_login(organizer)
    text = client.get(url("agency_detail", world)).text
    assert text.index("Bidang Koperasi") < text.index("Seksi Kelembagaan")
    assert "calc(1 * 1.5rem" in text  # the Seksi is indented below its Bidang
    assert re.search(r'acting-badge">Plt\.</span>\s*<a [^>]+>Rina Plt', text)
    assert re.search(r'acting-badge">Plh\.</span>\s*<a [^>]+>Andi Plh', text)
    assert "standing in for Ir. Made Sudarta" in text
    assert 'data-testid="vacant-badge"' in text
    assert "Tim SAKIP" in text and world.member.employee.name in text


def test_employee_detail_prints_the_nip_and_the_history(client, world, organizer):
    AssignmentFactory(
        employee=world.employee,
        position=PositionFactory(agency=world.agency, title="Sekretaris Lama"),
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    client.force_login(organizer)
    text = client.get(url("employee_detail", world)).text
    assert "19770415 199612 1 001" in text
    assert "PNS" in text
    assert text.index("Kepala Bidang Koperasi") < text.index("Sekretaris Lama")
    assert reverse("organizations:assignment_end", args=[world.assignment.pk]) in text


def test_employee_detail_hides_assignments_in_agencies_out_of_scope(
    client, world, organizer, other_agency
):
    AssignmentFactory(
        employee=world.employee,
        position=PositionFactory(agency=other_agency, title="Jabatan Rahasia"),
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2012, 1, 1),
    )
    client.force_login(organizer)
    assert "Jabatan Rahasia" not in client.get(url("employee_detail", world)).text


# --- writes through the pages ------------------------------------------------------------


def test_creating_a_unit(client, world, organizer):
    client.force_login(organizer)
    response = client.post(
        url("unit_create", world),
        {
            "name": "UPT Pelatihan",
            "kind": "upt",
            "code": "upt-latih",
            "parent": "",
            "sort_order": 2,
        },
    )
    assert response.status_code == 302
    assert OrgUnit.objects.filter(agency=world.agency, code="upt-latih").exists()


def test_a_refused_unit_shows_the_message_on_the_field(client, world, organizer):
    client.force_login(organizer)
    response = client.post(
        url("unit_create", world),
        {"name": "Kembar", "kind": "bidang", "code": world.unit.code, "sort_order": 0},
    )
    assert response.status_code == 200
    assert "already uses the code" in response.text


def test_archiving_a_unit_with_positions_is_refused_with_a_message(client, world, organizer):
    client.force_login(organizer)
    response = client.post(url("unit_archive", world), follow=True)
    assert "still has positions" in response.text
    world.unit.refresh_from_db()
    assert world.unit.archived_at is None


def test_registering_an_employee_with_a_printed_nip(client, world, organizer):
    vacant = PositionFactory(agency=world.agency, title="Analis Kinerja")
    client.force_login(organizer)
    response = client.post(
        url("employee_create", world),
        {
            "name": "Siti Rahma, S.E.",
            "nip": "19900701 2023 2 1 2 017",
            "grade": "IX",
            "position": vacant.pk,
            "kind": "definitif",
            "start_date": "2025-01-02",
            "decree_number": "821/3/2025",
        },
    )
    employee = Employee.objects.get(name="Siti Rahma, S.E.")
    assert response.status_code == 302
    assert response.url == reverse("organizations:employee_detail", args=[employee.pk])
    assert employee.nip == "199007012023212017"
    assert employee.assignments.get().position == vacant


def test_a_wrong_nip_is_explained_on_the_form(client, world, organizer):
    client.force_login(organizer)
    response = client.post(
        url("employee_create", world),
        {
            "name": "Salah Ketik",
            "nip": "19771315 199612 2 001",
            "position": world.position.pk,
            "kind": "plh",
            "start_date": "2025-01-02",
            "end_date": "2025-01-09",
        },
    )
    assert response.status_code == 200
    assert "must be a valid birth date (YYYYMMDD)" in response.text
    assert 'value="19771315 199612 2 001"' in response.text
    assert not Employee.objects.filter(name="Salah Ketik").exists()


def test_appointing_a_plt_over_a_definitive_holder_is_refused(client, world, organizer):
    client.force_login(organizer)
    response = client.post(
        url("assignment_create", world),
        {"employee": organizer.employee.pk, "kind": "plt", "start_date": "2025-02-01"},
    )
    assert response.status_code == 200
    assert "A Plt is appointed only to a vacant position" in response.text
    assert world.position.assignments.count() == 1


def test_ending_an_assignment(client, world, organizer):
    client.force_login(organizer)
    response = client.post(url("assignment_end", world), {"end_date": "2025-12-31", "reason": ""})
    assert response.status_code == 302
    world.assignment.refresh_from_db()
    assert world.assignment.end_date == datetime.date(2025, 12, 31)


def test_adding_and_removing_a_member_with_htmx(client, world, organizer):
    newcomer = AssignmentFactory(position=PositionFactory(agency=world.agency)).employee
    client.force_login(organizer)
    response = client.post(
        url("team_member_add", world),
        {"employee": newcomer.pk, "role": "sekretaris"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="team-members"')
    assert newcomer.name in response.text and "<html" not in response.text
    member = TeamMember.objects.get(team=world.team, employee=newcomer)
    response = client.post(
        reverse("organizations:team_member_remove", args=[member.pk]),
        {"reason": "Mutasi ke BAPPEDA"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.is_archived  # kept as history, not deleted
    assert ChangeRecord.objects.get(model="teammember", action="archive").reason == (
        "Mutasi ke BAPPEDA"
    )
    members, former = response.text.split('data-testid="former-members"')
    assert newcomer.name not in members and newcomer.name in former


def test_removing_a_member_who_already_left_says_so(client, world, organizer):
    client.force_login(organizer)
    address = url("team_member_remove", world)
    assert client.post(address).status_code == 302
    response = client.post(address, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert response.text == f"{world.member.employee.name} has already left the team."
    assert ChangeRecord.objects.filter(model="teammember", action="archive").count() == 1


def test_the_team_page_lists_former_members_with_their_dates(client, world, organizer):
    with time_machine.travel(datetime.datetime(2025, 3, 10, 2, 0, tzinfo=datetime.UTC)):
        seat = TeamMember.objects.create(
            team=world.team, employee=EmployeeFactory(name="Dewi Lama"), role="sekretaris"
        )
    # 23:30 UTC is already the next day in WIB: the page shows the local date
    seat.archived_at = datetime.datetime(2025, 8, 4, 23, 30, tzinfo=datetime.UTC)
    seat.save()
    client.force_login(organizer)
    text = client.get(url("team_detail", world)).text
    members, former = text.split('data-testid="former-members"')
    assert "Dewi Lama" not in members
    assert re.search(
        r'Dewi Lama</a>\s*<span class="muted">\(Secretary\) · member from 10 March 2025 '
        r"until 5 August 2025",
        former,
    )
    assert world.member.employee.name in members


def test_former_members_are_left_out_elsewhere(client, world, organizer):
    seat = TeamMember.objects.create(
        team=world.team,
        employee=world.employee,
        archived_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    client.force_login(organizer)
    agency_text = client.get(url("agency_detail", world)).text
    teams = agency_text[agency_text.index('data-testid="teams"') :]
    assert world.employee.name not in teams
    assert url("team_detail", world) not in client.get(url("employee_detail", world)).text
    form = client.get(url("team_detail", world)).text.split('data-testid="member-add-form"')[1]
    assert f'value="{seat.employee.pk}"' in form  # someone who left may be seated again


def test_a_member_from_another_agency_cannot_be_chosen(client, world, organizer, other_agency):
    stranger = AssignmentFactory(position=PositionFactory(agency=other_agency)).employee
    client.force_login(organizer)
    response = client.post(
        url("team_member_add", world), {"employee": stranger.pk, "role": "anggota"}
    )
    assert response.status_code == 400
    assert not TeamMember.objects.filter(employee=stranger).exists()


# --- query counts ------------------------------------------------------------------------


def grow(agency, size):
    """`size` units, each with a sub-unit, two positions (one held, one by a Plt) and a team
    with a current and a former member."""
    for n in range(size):
        unit = OrgUnitFactory(agency=agency)
        sub = OrgUnitFactory(agency=agency, parent=unit, kind="seksi")
        AssignmentFactory(position=PositionFactory(agency=agency, unit=unit))
        AssignmentFactory(position=PositionFactory(agency=agency, unit=sub), kind="plt")
        team = Team.objects.create(agency=agency, kind="lainnya", name=f"Tim {n}", year=2025)
        TeamMember.objects.create(team=team, employee=EmployeeFactory())
        TeamMember.objects.create(team=team, employee=EmployeeFactory(), archived_at=LEFT)


LEFT = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)


#: page → most queries (session, user, scope and the page's own reads)
PAGES_FOR_COUNTS = {"agency_list": 7, "agency_detail": 12, "employee_list": 9, "team_detail": 9}


@pytest.mark.parametrize("name", list(PAGES_FOR_COUNTS))
@pytest.mark.parametrize("size", [1, 12])
def test_pages_take_a_constant_number_of_queries(
    client, world, organizer, name, size, django_assert_max_num_queries
):
    grow(world.agency, size)
    for _ in range(size):
        TeamMember.objects.create(team=world.team, employee=EmployeeFactory())
        TeamMember.objects.create(team=world.team, employee=EmployeeFactory(), archived_at=LEFT)
    client.force_login(organizer)
    address = reverse("organizations:agency_list") if name == "agency_list" else url(name, world)
    with django_assert_max_num_queries(PAGES_FOR_COUNTS[name]):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_employee_detail_takes_a_constant_number_of_queries(
    client, world, organizer, size, django_assert_max_num_queries
):
    for n in range(size):
        AssignmentFactory(
            employee=world.employee,
            position=PositionFactory(agency=world.agency),
            start_date=datetime.date(2000 + n, 1, 1),
            end_date=datetime.date(2000 + n, 12, 31),
        )
    client.force_login(organizer)
    with django_assert_max_num_queries(9):
        assert client.get(url("employee_detail", world)).status_code == 200
