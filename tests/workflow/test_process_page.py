"""The process page: timeline with standard vs actual working time, SLA compliance per
step and per actor, and the flowchart with the current step highlighted."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from kinerja.core.errors import NotFound
from kinerja.organizations.models import RoleKey
from kinerja.workflow import inbox_selectors
from kinerja.workflow.models import ProcessInstance
from tests.factories import staff
from tests.workflow.inbox_world import MONDAY_9, World, at, build_world, open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world(db, time_machine) -> World:
    time_machine.move_to(MONDAY_9, tick=False)
    return build_world()


@pytest.fixture
def returned(world, time_machine) -> ProcessInstance:
    """Step 1 done late, step 2 on time, step 3 said Tidak late; step 2 runs again.

    Monday 09:00 start; 09:30 step 1 done (due 09:15, 30 working minutes);
    15:30 step 2 done (due Tuesday 09:30, 300 minutes); Tuesday 09:00 step 3 says
    Tidak (due Tuesday 08:30, 150 minutes); it is Tuesday 10:00 now.
    """
    instance = world.start()
    time_machine.move_to(at(3, 9, 30), tick=False)
    world.complete(world.kadis, open_task(instance, 1))
    time_machine.move_to(at(3, 15, 30), tick=False)
    world.complete(world.sekretaris, open_task(instance, 2))
    time_machine.move_to(at(4, 9, 0), tick=False)
    world.complete(world.kadis, open_task(instance, 3), "no", "Angka TW II keliru")
    time_machine.move_to(at(4, 10, 0), tick=False)
    return instance


def timeline_of(world: World, instance: ProcessInstance, user=None):
    return inbox_selectors.process_timeline(
        scope=world.scope(user or world.kadis), instance_id=instance.pk
    )


def test_timeline_rows_compare_standard_and_actual_working_time(world, returned):
    timeline = timeline_of(world, returned)
    rows = [
        (row.step.number, row.task.standard_minutes, row.actual_minutes, row.state)
        for row in timeline.rows
    ]
    assert rows == [
        (1, 15, 30, "late"),
        (2, 480, 300, "on_time"),
        (3, 120, 150, "late"),
        (2, 480, 60, "running"),
    ]
    assert timeline.current_steps == frozenset({2})


def test_compliance_per_step_and_per_actor(world, returned):
    timeline = timeline_of(world, returned)
    by_step = {item.step.number: item.compliance for item in timeline.by_step}
    assert (by_step[1].on_time, by_step[1].judged, by_step[1].percent) == (0, 1, Decimal(0))
    # the running step 2 is not judged yet
    assert (by_step[2].tasks, by_step[2].judged, by_step[2].percent) == (2, 1, Decimal(100))
    assert (by_step[2].standard_minutes, by_step[2].actual_minutes) == (960, 360)
    assert by_step[3].late == 1
    assert 4 not in by_step

    by_actor = {c.label: c for c in timeline.by_actor}
    kadis, sekretaris = world.kadis.employee.name, world.sekretaris.employee.name
    assert (by_actor[kadis].tasks, by_actor[kadis].late, by_actor[kadis].percent) == (
        2,
        2,
        Decimal(0),
    )
    assert (by_actor[sekretaris].tasks, by_actor[sekretaris].percent) == (2, Decimal(100))
    assert timeline.overall.on_time == 1 and timeline.overall.judged == 3


def test_an_open_task_past_due_counts_against_compliance(world, returned, time_machine):
    time_machine.move_to(at(5, 10, 0), tick=False)  # the second step 2 was due Wed 09:00
    timeline = timeline_of(world, returned)
    assert timeline.rows[-1].state == "overdue"
    by_step = {item.step.number: item.compliance for item in timeline.by_step}
    assert (by_step[2].on_time, by_step[2].judged) == (1, 2)


def test_process_page_shows_timeline_compliance_and_the_current_step(
    world, returned, client, english
):
    client.force_login(world.kadis)
    response = client.get(reverse("workflow:process", args=[returned.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="timeline-row"') == 4
    assert 'data-state="late"' in html and 'data-state="running"' in html
    assert "Angka TW II keliru" in html
    current = re.findall(r'<tr class="current" data-testid="flow-row" data-step="(\d+)"', html)
    assert current == ["2"]
    # the symbol of step 2 is highlighted by its data-step
    assert '.symbol[data-step="2"]' in html
    assert 'class="symbol task" data-step="2"' in html
    assert html.count('data-testid="compliance-step-row"') == 3
    assert '<th class="num" data-testid="compliance-overall">33%</th>' in html


def test_a_finished_process_has_no_current_step(world, client, english):
    instance = world.start()
    world.complete(world.kadis, open_task(instance, 1))
    world.complete(world.sekretaris, open_task(instance, 2))
    world.complete(world.kadis, open_task(instance, 3), "yes")
    world.complete(world.kadis, open_task(instance, 4))
    client.force_login(world.kadis)
    html = client.get(reverse("workflow:process", args=[instance.pk])).content.decode()
    assert 'data-status="finished"' in html
    assert 'class="current"' not in html
    assert html.count('<tr class="done" data-testid="flow-row"') == 4


def test_who_sees_a_process(db, time_machine, client):
    time_machine.move_to(MONDAY_9, tick=False)
    world = build_world(drafter_role=RoleKey.STAF)  # the drafter is not a planner
    instance = world.start()
    url = reverse("workflow:process", args=[instance.pk])

    client.force_login(world.kadis)  # the head: a planner
    assert client.get(url).status_code == 200
    client.force_login(world.sekretaris)  # no task here yet, not a planner
    assert client.get(url).status_code == 404
    world.complete(world.kadis, open_task(instance, 1))
    assert client.get(url).status_code == 200  # now a participant

    colleague = staff(agency=world.agency, role_key=RoleKey.STAF)
    stranger = build_world().kadis
    for user in (colleague, stranger):
        client.force_login(user)
        assert client.get(url).status_code == 404
    admin = get_user_model().objects.create_user(
        "admin.pemda", administered_government=world.agency.government
    )
    client.force_login(admin)
    assert client.get(url).status_code == 200
    client.force_login(world.kadis)
    assert client.get(reverse("workflow:process", args=[99999])).status_code == 404


def test_an_organiser_who_may_act_on_unassigned_tasks_sees_the_process(world, client):
    instance = world.start()
    organiser = staff(agency=world.agency, role_key=RoleKey.KASUBBAG)  # not a planner role
    client.force_login(organiser)
    assert client.get(reverse("workflow:process", args=[instance.pk])).status_code == 200


def test_the_timeline_refuses_an_instance_outside_the_scope(world):
    instance = world.start()
    stranger = build_world()
    with pytest.raises(NotFound):
        inbox_selectors.process_timeline(
            scope=stranger.scope(stranger.kadis), instance_id=instance.pk
        )


def test_process_page_takes_a_constant_number_of_queries(
    world, client, time_machine, django_assert_max_num_queries
):
    instance = world.start()
    client.force_login(world.kadis)
    url = reverse("workflow:process", args=[instance.pk])
    with django_assert_max_num_queries(14) as small:
        client.get(url)

    world.complete(world.kadis, open_task(instance, 1))
    for round_ in range(4):
        world.complete(world.sekretaris, open_task(instance, 2))
        world.complete(world.kadis, open_task(instance, 3), "no", f"Putaran {round_}")
    assert instance.tasks.count() == 10
    with django_assert_max_num_queries(14) as large:
        response = client.get(url)
    assert response.content.decode().count('data-testid="timeline-row"') == 10
    assert len(large.captured_queries) == len(small.captured_queries)
