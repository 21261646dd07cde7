"""Who acts: an SOP actor resolved to a person of the agency on a date."""

import datetime

import pytest

from kinerja.demo.loader import load_demo
from kinerja.organizations.models import Agency, Assignment, OrgUnit, RoleKey, Team, TeamMember
from kinerja.workflow import services
from kinerja.workflow.assignment import Resolver, work_units
from kinerja.workflow.demo import load_demo_sops
from kinerja.workflow.domain.definition import Actor
from kinerja.workflow.models import Task
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)
from tests.workflow.sop_world import (
    SYSTEM,
    complete_as_assignee,
    open_tasks,
    outcome_for,
    small_agency,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 14)
SEKRETARIS = Actor(key="sekretaris", label="Sekretaris", role_key=RoleKey.SEKRETARIS)
KEPALA_BIDANG = Actor(key="bidang", label="Bidang/UPT", role_key="kepala_bidang", each_unit=True)
PEMEGANG_DATA = Actor(key="pd", label="Pemegang Data", role_key="pemegang_data", each_unit=True)
TIM_SAKIP = Actor(key="tim", label="Tim SAKIP", team=Team.Kind.SAKIP)
PD_TERKAIT = Actor(key="pd_terkait", label="Perangkat Daerah Terkait", external=True)


def resolver(agency: Agency, *, day: datetime.date = TODAY, year: int = 2025) -> Resolver:
    return Resolver(agency=agency, day=day, year=year)


class TestRolePositions:
    def test_the_definitive_holder_acts(self, agency):
        world = small_agency(agency)

        who = resolver(agency).assignee(SEKRETARIS)

        assert who.employee == world.sekretaris
        assert who.position == world.positions["sekretaris"]
        assert who.kind == Assignment.Kind.DEFINITIVE

    def test_a_plh_acts_before_the_definitive_holder_while_appointed(self, agency):
        world = small_agency(agency)
        plh = AssignmentFactory(
            position=world.positions["sekretaris"],
            kind=Assignment.Kind.PLH,
            start_date=datetime.date(2025, 3, 10),
            end_date=datetime.date(2025, 3, 21),
        ).employee

        during = resolver(agency).assignee(SEKRETARIS)
        after = resolver(agency, day=datetime.date(2025, 3, 24)).assignee(SEKRETARIS)

        assert (during.employee, during.kind) == (plh, Assignment.Kind.PLH)
        assert (after.employee, after.kind) == (world.sekretaris, Assignment.Kind.DEFINITIVE)

    def test_a_plt_acts_for_a_vacant_position(self, agency):
        position = PositionFactory(agency=agency, role_key=RoleKey.SEKRETARIS)
        AssignmentFactory(position=position, end_date=datetime.date(2024, 12, 31))
        plt = AssignmentFactory(
            position=position, kind=Assignment.Kind.PLT, start_date=datetime.date(2025, 1, 2)
        ).employee

        who = resolver(agency).assignee(SEKRETARIS)

        assert (who.employee, who.kind) == (plt, Assignment.Kind.PLT)

    def test_a_held_position_is_preferred_to_a_vacant_one_with_the_same_role(self, agency):
        PositionFactory(agency=agency, role_key=RoleKey.SEKRETARIS, sort_order=1)
        held = AssignmentFactory(
            position__agency=agency, position__role_key=RoleKey.SEKRETARIS, position__sort_order=2
        )

        assert resolver(agency).assignee(SEKRETARIS).employee == held.employee

    def test_nobody_holding_the_position_leaves_the_task_unassigned_on_it(self, agency):
        position = PositionFactory(agency=agency, role_key=RoleKey.SEKRETARIS)

        who = resolver(agency).assignee(SEKRETARIS)

        assert who.is_unassigned
        assert who.position == position

    def test_no_position_with_the_role_at_all_is_unassigned_too(self, agency):
        who = resolver(agency).assignee(SEKRETARIS)

        assert who.is_unassigned and who.position is None


class TestEachUnit:
    def test_the_units_are_the_bidang_and_upt_in_order(self, agency):
        upt = OrgUnitFactory(agency=agency, kind=OrgUnit.Kind.TECHNICAL_UNIT, sort_order=3)
        bidang = OrgUnitFactory(agency=agency, sort_order=1)
        OrgUnitFactory(agency=agency, kind=OrgUnit.Kind.SECRETARIAT, sort_order=0)
        OrgUnitFactory(agency=agency, kind=OrgUnit.Kind.SUBDIVISION, sort_order=2)
        OrgUnitFactory(agency=agency, sort_order=4, archived_at=datetime.datetime.now(datetime.UTC))

        assert work_units(agency=agency) == [bidang, upt]

    def test_the_unit_head_acts_and_a_upt_is_led_by_its_kepala_upt(self, agency):
        world = small_agency(agency)
        found = resolver(agency)

        heads = [found.assignee(KEPALA_BIDANG, unit=unit) for unit in world.units]

        assert [who.employee for who in heads] == world.unit_heads
        assert [who.unit for who in heads] == world.units
        assert heads[2].position.role_key == RoleKey.KEPALA_UPT

    def test_the_holder_of_the_actors_role_in_the_unit_acts(self, agency):
        world = small_agency(agency)
        seksi = OrgUnitFactory(agency=agency, kind=OrgUnit.Kind.SECTION, parent=world.units[1])
        in_unit = AssignmentFactory(
            position__agency=agency,
            position__unit=world.units[0],
            position__role_key=RoleKey.PEMEGANG_DATA,
        ).employee
        in_seksi = AssignmentFactory(
            position__agency=agency, position__unit=seksi, position__role_key=RoleKey.PEMEGANG_DATA
        ).employee
        found = resolver(agency)

        who = [found.assignee(PEMEGANG_DATA, unit=unit).employee for unit in world.units]

        # Bidang A and B have a data holder (B's in its seksi); the UPT has none: its head acts.
        assert who == [in_unit, in_seksi, world.unit_heads[2]]

    def test_a_vacant_position_of_the_role_is_flagged_not_replaced_by_the_head(self, agency):
        world = small_agency(agency)
        vacant = PositionFactory(agency=agency, unit=world.units[0], role_key=RoleKey.PEMEGANG_DATA)

        who = resolver(agency).assignee(PEMEGANG_DATA, unit=world.units[0])

        assert who.is_unassigned and who.position == vacant and who.unit == world.units[0]

    def test_a_unit_without_positions_is_unassigned(self, agency):
        unit = OrgUnitFactory(agency=agency)

        who = resolver(agency).assignee(KEPALA_BIDANG, unit=unit)

        assert who.is_unassigned and who.position is None and who.unit == unit


class TestTeams:
    def seat(self, team: Team, role: str = TeamMember.Role.MEMBER):
        return TeamMember.objects.create(team=team, employee=EmployeeFactory(), role=role).employee

    def test_the_chair_of_the_years_team_acts(self, agency):
        this_year = Team.objects.create(
            agency=agency, kind=Team.Kind.SAKIP, name="SAKIP", year=2025
        )
        older = Team.objects.create(agency=agency, kind=Team.Kind.SAKIP, name="SAKIP", year=2024)
        self.seat(this_year)
        chair = self.seat(this_year, TeamMember.Role.CHAIR)
        self.seat(older, TeamMember.Role.CHAIR)

        who = resolver(agency).assignee(TIM_SAKIP)

        assert who.employee == chair
        assert who.position is None and who.kind == ""

    def test_without_a_team_for_the_year_the_latest_team_acts(self, agency):
        latest = Team.objects.create(agency=agency, kind=Team.Kind.SAKIP, name="SAKIP", year=2024)
        chair = self.seat(latest, TeamMember.Role.CHAIR)
        Team.objects.create(agency=agency, kind=Team.Kind.LKJIP, name="LKjIP", year=2026)

        assert resolver(agency, year=2026).assignee(TIM_SAKIP).employee == chair

    def test_a_team_without_a_chair_or_no_team_is_unassigned(self, agency):
        assert resolver(agency).assignee(TIM_SAKIP).is_unassigned
        team = Team.objects.create(agency=agency, kind=Team.Kind.SAKIP, name="SAKIP", year=2025)
        self.seat(team)

        assert resolver(agency).assignee(TIM_SAKIP).is_unassigned


class TestExternal:
    def test_the_head_of_the_first_coordinating_agency_of_the_government_acts(self, agency):
        government = agency.government
        bappeda = AgencyFactory(
            government=government, name="Badan Perencanaan", is_coordinating=True
        )
        biro = AgencyFactory(government=government, name="Biro Organisasi", is_coordinating=True)
        AgencyFactory(name="Aaa Badan Lain", is_coordinating=True)  # another government
        head = AssignmentFactory(
            position__agency=bappeda, position__role_key=RoleKey.KEPALA_DINAS
        ).employee
        AssignmentFactory(position__agency=biro, position__role_key=RoleKey.KEPALA_DINAS)
        AssignmentFactory(position__agency=bappeda, position__role_key=RoleKey.KEPALA_BIDANG)

        who = resolver(agency).assignee(PD_TERKAIT)

        assert who.employee == head
        assert who.position.agency == bappeda

    def test_without_a_coordinating_agency_the_task_is_unassigned(self, agency):
        assert resolver(agency).assignee(PD_TERKAIT).is_unassigned


def test_in_the_demo_the_plt_heads_a_bidang_and_bappeda_receives_the_report():
    """Dinas Koperasi dan UKM Sulteng: the Kelembagaan Bidang is led by a Plt, and the
    Perangkat Daerah Terkait step goes to the head of BAPPEDA."""
    load_demo()
    version = next(
        v
        for v in load_demo_sops()
        if v.agency.code == "dinkop-ukm-sulteng" and v.code == "pengumpulan-data-kinerja"
    )
    instance = services.instance_start(actor=SYSTEM, sop=version, subject="Data TW I 2025")
    while not (tasks := open_tasks(instance))[0].unit_id:
        complete_as_assignee(tasks[0], outcome_for(instance, tasks[0]))

    by_unit = {task.unit.code: task for task in tasks}
    assert list(by_unit) == [
        "bidang-kelembagaan",
        "bidang-pemberdayaan",
        "bidang-ukm",
        "upt-balai-pelatihan",
    ]
    assert by_unit["bidang-kelembagaan"].assignment_kind == Assignment.Kind.PLT
    assert by_unit["upt-balai-pelatihan"].position.code == "kupt"
    external = resolver(instance.agency).assignee(PD_TERKAIT)
    assert external.position.agency.code == "bappeda-sulteng"
    assert external.employee is not None
    assert Task.objects.filter(instance=instance, assignee__isnull=True).count() == 0
