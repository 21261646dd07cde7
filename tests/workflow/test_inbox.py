"""“Tugas Saya”: the inbox, a task's page with its SOP context, and its actions
(complete, Ya/Tidak, return with a reason, attach an output), plus notifications."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from kinerja.organizations.models import RoleKey
from kinerja.workflow import inbox_selectors
from kinerja.workflow.models import Notification, ProcessInstance, Task, TaskOutput
from kinerja.workflow.templatetags.inbox_tags import working_time
from tests.factories import staff
from tests.workflow.inbox_world import MONDAY_9, World, at, build_world, holder, open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, time_machine) -> World:
    time_machine.move_to(MONDAY_9, tick=False)
    return build_world()


@pytest.fixture
def english(client, settings):
    """English pages and messages, whatever the Indonesian catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def pdf_upload(name: str = "disposisi.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\nisi\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def to_decision(world: World, time_machine) -> ProcessInstance:
    """A process waiting at step 3 (the Kepala Dinas's check, a decision)."""
    instance = world.start()
    world.complete(world.kadis, open_task(instance, 1))
    world.complete(world.sekretaris, open_task(instance, 2))
    return instance


# --- the inbox -----------------------------------------------------------------------------


def test_inbox_lists_own_open_tasks_most_urgent_first(world, time_machine):
    first = world.start("Laporan A")  # step 1 due 09:15
    time_machine.move_to(at(3, 9, 10), tick=False)
    second = world.start("Laporan B")  # step 1 due 09:25
    third = world.start("Laporan C")
    world.complete(world.kadis, open_task(third, 1))  # now the Sekretaris's
    other = build_world()
    other.start("Laporan lain")

    time_machine.move_to(at(3, 9, 20), tick=False)
    items = inbox_selectors.inbox(scope=world.scope(world.kadis))

    assert [item.instance for item in items] == [first, second]
    assert [item.overdue for item in items] == [True, False]
    assert items[0].step.activity == "Memerintahkan penyusunan laporan"
    assert items[0].actor_label == "Kepala Dinas"
    sekretaris_items = inbox_selectors.inbox(scope=world.scope(world.sekretaris))
    assert [item.instance for item in sekretaris_items] == [third]
    assert inbox_selectors.open_task_count(scope=world.scope(world.kadis)) == 2


def test_inbox_page_marks_overdue_tasks(world, client, time_machine, english):
    instance = world.start()
    time_machine.move_to(at(3, 9, 20), tick=False)
    client.force_login(world.kadis)
    response = client.get(reverse("workflow:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    task = open_task(instance, 1)
    assert reverse("workflow:task", args=[task.pk]) in html
    assert 'data-testid="overdue"' in html
    assert "3 March 2025 09.15 WITA" in html


def test_inbox_of_someone_without_tasks_is_empty(world, client):
    world.start()
    client.force_login(world.sekretaris)
    response = client.get(reverse("workflow:inbox"))
    assert 'data-testid="inbox-empty"' in response.content.decode()


def test_a_plh_finds_the_positions_tasks_in_their_inbox(world, time_machine):
    instance = world.start()
    world.complete(world.kadis, open_task(instance, 1))
    plh = holder(
        world.sekretaris_position,
        kind="plh",
        start_date=datetime.date(2025, 3, 3),
        end_date=datetime.date(2025, 3, 7),
    )
    items = inbox_selectors.inbox(scope=world.scope(plh))
    assert [item.task.step_number for item in items] == [2]


@pytest.mark.parametrize("count", [2, 8])
def test_inbox_takes_a_constant_number_of_queries(
    world, client, count, django_assert_max_num_queries
):
    for number in range(count):
        world.start(f"Laporan {number}")
    client.force_login(world.kadis)
    scope = world.scope(world.kadis)
    with django_assert_max_num_queries(1):
        items = inbox_selectors.inbox(scope=scope)
    assert len(items) == count
    with django_assert_max_num_queries(8):
        response = client.get(reverse("workflow:inbox"))
    assert response.content.decode().count('data-testid="inbox-row"') == count


def test_the_menu_tag_counts_open_tasks(world):
    world.start("A")
    world.start("B")
    request = RequestFactory().get("/")
    request.scope = world.scope(world.kadis)
    template = Template("{% load inbox_tags %}{% open_task_count as n %}[{{ n }}]")
    assert template.render(Context({"request": request})) == "[2]"
    request.scope = world.scope(world.sekretaris)
    assert template.render(Context({"request": request})) == "[0]"


def test_working_time_reads_as_days_hours_and_minutes(english):
    assert working_time(15) == "15 minutes"
    assert working_time(480) == "1 day"
    assert working_time(480 * 2 + 135) == "2 days 2 hours 15 minutes"
    assert working_time(0) == "0 minutes"
    assert working_time(None) == "–"


# --- the task page -------------------------------------------------------------------------


def test_task_page_shows_the_sop_context(world, client, english):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.kadis)
    response = client.get(reverse("workflow:task", args=[task.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Step 1: Memerintahkan penyusunan laporan" in html
    assert "Disposisi" in html  # what it must produce
    # who comes next: step 2, the Sekretaris, by name
    assert "step 2, Menyusun draft laporan" in html
    assert world.sekretaris.employee.name in html
    assert 'data-testid="complete"' in html


def test_decision_page_offers_yes_and_no_and_names_both_ways(world, client, time_machine, english):
    instance = to_decision(world, time_machine)
    page = inbox_selectors.task_page_context(
        scope=world.scope(world.kadis), task_id=open_task(instance, 3).pk
    )
    assert page.is_decision and page.can_act
    assert [(n.branch, n.step.number) for n in page.next_steps] == [("yes", 4), ("no", 2)]
    assert page.step.inputs == ("Draft Laporan",)
    client.force_login(world.kadis)
    html = client.get(reverse("workflow:task", args=[page.task.pk])).content.decode()
    assert 'data-testid="decide-yes"' in html and 'data-testid="decide-no"' in html
    assert 'data-testid="complete"' not in html


def test_a_planner_may_read_a_task_but_not_act_on_it(world, client):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.sekretaris)  # a planner of the agency, not the assignee
    response = client.get(reverse("workflow:task", args=[task.pk]))
    assert response.status_code == 200
    assert 'data-testid="not-yours"' in response.content.decode()
    response = client.post(reverse("workflow:task_complete", args=[task.pk]), {"outcome": "done"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_others_get_404_for_a_task(world, client):
    instance = world.start()
    task = open_task(instance, 1)
    colleague = staff(agency=world.agency, role_key=RoleKey.STAF)
    stranger = build_world().kadis
    for user in (colleague, stranger):
        client.force_login(user)
        assert client.get(reverse("workflow:task", args=[task.pk])).status_code == 404
        response = client.post(
            reverse("workflow:task_complete", args=[task.pk]), {"outcome": "done"}
        )
        assert response.status_code == 404
    client.force_login(world.kadis)
    assert client.get(reverse("workflow:task", args=[99999])).status_code == 404


# --- completing ----------------------------------------------------------------------------


def test_completing_moves_the_work_to_the_next_inbox(world, client, english):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.kadis)
    response = client.post(
        reverse("workflow:task_complete", args=[task.pk]),
        {"outcome": "done", "revision": instance.revision},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("workflow:inbox")
    assert "Step 1 “Memerintahkan penyusunan laporan” is done." in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.completed_by == world.kadis
    assert inbox_selectors.inbox(scope=world.scope(world.kadis)) == []
    assert [
        i.task.step_number for i in inbox_selectors.inbox(scope=world.scope(world.sekretaris))
    ] == [2]


def test_no_needs_a_reason_and_then_returns_the_work(world, client, time_machine, english):
    instance = to_decision(world, time_machine)
    decision = open_task(instance, 3)
    client.force_login(world.kadis)
    url = reverse("workflow:task_complete", args=[decision.pk])

    response = client.post(url, {"outcome": "no", "reason": "  "})
    assert response.status_code == 422
    assert "Say why the work goes back" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Task.Status.OPEN

    response = client.post(url, {"outcome": "no", "reason": "Target TW II belum diisi"})
    assert response.status_code == 302
    returned = open_task(instance, 2)
    assert returned.returned_from_step == 3
    assert returned.returned_reason == "Target TW II belum diisi"

    client.force_login(world.sekretaris)
    inbox_html = client.get(reverse("workflow:inbox")).content.decode()
    assert "returned for correction" in inbox_html
    task_html = client.get(reverse("workflow:task", args=[returned.pk])).content.decode()
    assert "Target TW II belum diisi" in task_html
    assert "Sent back from step 3 (Memeriksa draft laporan)." in task_html

    world.complete(world.sekretaris, returned)
    client.force_login(world.kadis)
    again = open_task(instance, 3)
    client.post(reverse("workflow:task_complete", args=[again.pk]), {"outcome": "yes"})
    assert open_task(instance, 4).assignee == world.kadis.employee


def test_htmx_completion_redirects_the_page_and_errors_come_back_in_the_partial(
    world, client, time_machine, english
):
    instance = to_decision(world, time_machine)
    decision = open_task(instance, 3)
    client.force_login(world.kadis)
    url = reverse("workflow:task_complete", args=[decision.pk])
    response = client.post(url, {"outcome": "no", "reason": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card actions" id="task-actions"')
    assert "Say why the work goes back" in html

    response = client.post(url, {"outcome": "yes"}, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == reverse("workflow:inbox")


def test_a_stale_page_gets_a_conflict_and_changes_nothing(world, client, english):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.kadis)
    response = client.post(
        reverse("workflow:task_complete", args=[task.pk]),
        {"outcome": "done", "revision": instance.revision + 5},
    )
    assert response.status_code == 422
    assert "changed since you opened the page" in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_completing_twice_says_who_did_it(world, client, english):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.kadis)
    url = reverse("workflow:task_complete", args=[task.pk])
    client.post(url, {"outcome": "done"})
    response = client.post(url, {"outcome": "done"})
    assert "already completed" in response.content.decode()
    assert Task.objects.filter(instance=instance, step_number=2).count() == 1


# --- outputs -------------------------------------------------------------------------------


def test_attaching_an_output(world, client, english):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.kadis)
    url = reverse("workflow:task_output_upload", args=[task.pk])
    response = client.post(url, {"output_name": "Disposisi", "file": pdf_upload()})
    assert response.status_code == 302
    output = TaskOutput.objects.get(task=task)
    assert output.output_name == "Disposisi"
    page = inbox_selectors.task_page_context(scope=world.scope(world.kadis), task_id=task.pk)
    assert page.missing_outputs == []

    response = client.post(
        url, {"output_name": "Disposisi", "file": pdf_upload()}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="task-outputs"')
    assert html.count('data-testid="output"') == 2
    assert "The output has been attached." in html


def test_generating_an_output_from_the_document_templates(world, client, english):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.kadis)
    page = client.get(reverse("workflow:task", args=[task.pk])).content.decode()
    assert 'data-testid="output-generate"' in page  # "Disposisi" has a template
    response = client.post(
        reverse("workflow:task_output_generate", args=[task.pk]),
        {"output_name": "Disposisi"},
        headers={"HX-Request": "true"},
    )
    assert "The output has been generated and attached." in response.content.decode()
    output = TaskOutput.objects.select_related("document").get(task=task)
    assert output.output_name == "Disposisi"
    assert output.document.kind == "disposisi"


def test_an_unacceptable_file_is_refused_and_nothing_attached(world, client, english):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.kadis)
    bad = SimpleUploadedFile(
        "disposisi.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(
        reverse("workflow:task_output_upload", args=[task.pk]),
        {"output_name": "Disposisi", "file": bad},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not TaskOutput.objects.exists()


def test_only_the_assignee_attaches(world, client):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.sekretaris)
    response = client.post(
        reverse("workflow:task_output_upload", args=[task.pk]),
        {"output_name": "Disposisi", "file": pdf_upload()},
    )
    assert response.status_code == 403
    assert not TaskOutput.objects.exists()


# --- notifications -------------------------------------------------------------------------


def test_notifications_list_and_mark_read(world, client, english):
    first = world.start("A")
    world.start("B")
    client.force_login(world.kadis)
    response = client.get(reverse("workflow:notifications"))
    html = response.content.decode()
    assert html.count('data-testid="notification"') == 2
    assert "2 unread" in html

    one = Notification.objects.get(task=open_task(first, 1))
    response = client.post(
        reverse("workflow:notification_read"),
        {"notification": one.pk},
        headers={"HX-Request": "true"},
    )
    assert "1 unread" in response.content.decode()
    one.refresh_from_db()
    assert one.read_at is not None

    client.post(reverse("workflow:notification_read"))
    assert not Notification.objects.filter(user=world.kadis, read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(world, client):
    world.start()
    notification = Notification.objects.get(user=world.kadis)
    client.force_login(world.sekretaris)
    response = client.post(reverse("workflow:notification_read"), {"notification": notification.pk})
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("outputs", [0, 3])
def test_task_page_takes_a_constant_number_of_queries(
    world, client, outputs, django_assert_max_num_queries
):
    instance = world.start()
    task = open_task(instance, 1)
    client.force_login(world.kadis)
    for number in range(outputs):
        client.post(
            reverse("workflow:task_output_upload", args=[task.pk]),
            {"output_name": "Disposisi", "file": pdf_upload(f"d{number}.pdf")},
        )
    # 13: one of them asks the data collection whether the process is one of its own
    with django_assert_max_num_queries(13):
        response = client.get(reverse("workflow:task", args=[task.pk]))
    assert response.content.decode().count('data-testid="output"') == outputs


@pytest.mark.parametrize("processes", [1, 6])
def test_notification_page_takes_a_constant_number_of_queries(
    world, client, processes, django_assert_max_num_queries
):
    for number in range(processes):
        world.start(f"Laporan {number}")
    client.force_login(world.kadis)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("workflow:notifications"))
    assert response.content.decode().count('data-testid="notification"') == processes
