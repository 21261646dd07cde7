"""The SLA sweep: reminders before the due time, overdue marks, breach notices and
escalations after it; in-app and by e-mail; and nothing twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from kinerja.organizations.models import Assignment
from kinerja.workflow.models import Notification, Task, WorkflowEvent
from kinerja.workflow.services import instance_start
from kinerja.workflow.sla import sla_sweep
from tests.workflow.inbox_world import MONDAY_9, at, build_world, holder, open_task

pytestmark = pytest.mark.django_db


def kinds(task: Task) -> list[str]:
    return list(
        WorkflowEvent.objects.filter(
            task=task, kind__in=["overdue", "reminder", "breach", "escalated"]
        )
        .order_by("sequence")
        .values_list("kind", flat=True)
    )


@pytest.fixture
def world(db, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    return build_world()


@pytest.fixture
def drafting(world, time_machine):
    """Step 1 done at Monday 09:30, so step 2 (1 hari, Sekretaris) is due Tuesday 09:30."""
    instance = world.start()
    time_machine.move_to(at(3, 9, 30), tick=False)
    world.complete(world.kadis, open_task(instance, 1))
    mail.outbox.clear()
    task = open_task(instance, 2)
    assert task.due_at == at(4, 9, 30)
    return task


def test_reminder_counts_working_time_and_is_sent_once(world, drafting, time_machine):
    # Monday 16:45: 15 minutes today + 90 tomorrow morning are left: no reminder yet.
    time_machine.move_to(at(3, 16, 45), tick=False)
    report = sla_sweep()
    assert report.reminded == []
    assert mail.outbox == []

    # Tuesday 08:31: 59 working minutes left (the night does not count): remind.
    time_machine.move_to(at(4, 8, 31), tick=False)
    report = sla_sweep()
    assert report.reminded == [drafting.pk]
    assert [m.to for m in mail.outbox] == [["sekretaris@example.test"]]
    assert "Menyusun draft laporan" in mail.outbox[0].body
    assert f"/alur-kerja/tugas/{drafting.pk}/" in mail.outbox[0].body
    notification = Notification.objects.get(user=world.sekretaris, task=drafting, kind="reminder")
    assert notification.emailed_at is not None
    drafting.refresh_from_db()
    assert drafting.reminded_at == at(4, 8, 31)
    assert drafting.overdue_at is None
    assert kinds(drafting) == ["reminder"]

    # Again: nothing new.
    time_machine.move_to(at(4, 8, 40), tick=False)
    report = sla_sweep()
    assert not report.changed
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(task=drafting, kind="reminder").count() == 1


def test_reminder_threshold_comes_from_the_setting(world, drafting, time_machine, settings):
    settings.KINERJA_SLA_REMINDER_MINUTES = 120
    time_machine.move_to(at(3, 16, 45), tick=False)  # 105 working minutes left
    assert sla_sweep().reminded == [drafting.pk]


def test_breach_marks_overdue_notifies_and_escalates_to_the_superior_once(
    world, drafting, time_machine
):
    time_machine.move_to(at(4, 10, 0), tick=False)
    report = sla_sweep()

    assert report.overdue == [drafting.pk]
    assert report.breach_notified == [drafting.pk]
    assert report.escalated == [drafting.pk]
    assert report.reminded == []  # past due: a reminder makes no sense any more
    drafting.refresh_from_db()
    assert drafting.overdue_at == at(4, 10, 0)
    assert drafting.breach_notified_at == at(4, 10, 0)
    assert drafting.escalated_at == at(4, 10, 0)
    assert kinds(drafting) == ["overdue", "breach", "escalated"]
    escalated = WorkflowEvent.objects.get(task=drafting, kind="escalated")
    assert escalated.payload["employee"] == world.kadis.employee.pk

    assert sorted(m.to[0] for m in mail.outbox) == ["kadis@example.test", "sekretaris@example.test"]
    assert set(
        Notification.objects.filter(task=drafting)
        .exclude(kind="new_task")
        .values_list("user__username", "kind")
    ) == {(world.sekretaris.username, "breach"), (world.kadis.username, "escalation")}
    escalation = Notification.objects.get(kind="escalation")
    assert world.sekretaris.employee.name in escalation.message

    # Twice, and a day later: nothing more.
    assert not sla_sweep().changed
    time_machine.move_to(at(5, 10, 0), tick=False)
    report = sla_sweep()
    assert not report.changed
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(task=drafting).exclude(kind="new_task").count() == 2


def test_the_management_command_prints_what_it_did(world, drafting, time_machine, capsys):
    time_machine.move_to(at(4, 10, 0), tick=False)
    with translation.override("en"):
        call_command("sla", "sweep")
        first = capsys.readouterr().out
        call_command("sla", "sweep")
        second = capsys.readouterr().out
    assert "Marked overdue: 1" in first
    assert "Breach notices sent: 1" in first
    assert "Escalated to the superior: 1" in first
    assert "E-mails sent: 2" in first
    assert "Marked overdue: 0" in second
    assert "E-mails sent: 0" in second
    assert len(mail.outbox) == 2


def test_escalation_goes_to_the_acting_superior(world, drafting, time_machine):
    """A Plh standing in for the Kepala Dinas today receives the escalation."""
    plh = holder(
        world.kadis_position,
        email="plh@example.test",
        kind=Assignment.Kind.PLH,
        start_date=datetime.date(2025, 3, 3),
        end_date=datetime.date(2025, 3, 7),
    )
    time_machine.move_to(at(4, 10, 0), tick=False)
    sla_sweep()
    assert Notification.objects.get(kind="escalation").user == plh
    assert "plh@example.test" in [m.to[0] for m in mail.outbox]
    assert "kadis@example.test" not in [m.to[0] for m in mail.outbox]


def test_without_a_superior_nothing_is_escalated_until_one_is_appointed(world, time_machine):
    instance = world.start()  # step 1 is the Kepala Dinas's: no superior position
    task = open_task(instance, 1)
    time_machine.move_to(at(3, 9, 20), tick=False)
    report = sla_sweep()
    assert report.breach_notified == [task.pk]
    assert report.escalated == []
    assert report.not_escalated == [task.pk]
    task.refresh_from_db()
    assert task.escalated_at is None
    assert not Notification.objects.filter(kind="escalation").exists()

    # Once the position reports to somebody, the next sweep escalates (and only that).
    bupati_position = world.kadis_position.__class__.objects.create(
        agency=world.agency, code="sekda", title="Sekretaris Daerah", role_key="staf"
    )
    world.kadis_position.superior = bupati_position
    world.kadis_position.save()
    sekda = holder(bupati_position, email="sekda@example.test")
    mail.outbox.clear()
    report = sla_sweep()
    assert report.escalated == [task.pk]
    assert report.breach_notified == []
    assert [m.to for m in mail.outbox] == [["sekda@example.test"]]
    assert Notification.objects.get(kind="escalation").user == sekda


def test_an_address_is_enough_for_an_email_and_a_login_for_a_notice(world, time_machine):
    """A superior without a login gets the e-mail only; an assignee without any address,
    the notice only."""
    world.kadis_position.assignments.update(end_date=datetime.date(2025, 3, 2))
    no_login = holder(world.kadis_position, email="", with_user=False)
    assert no_login is None
    employee = Assignment.objects.get(position=world.kadis_position, end_date=None).employee
    employee.email = "kadis.baru@example.test"
    employee.save()
    world.sekretaris.employee.email = ""
    world.sekretaris.employee.save()
    world.sekretaris.email = ""
    world.sekretaris.save()
    # The Sekretaris (a planner) starts it; step 1 goes to the new Kepala Dinas (no login).
    instance = instance_start(
        actor=world.scope(world.sekretaris), sop=world.sop, subject="Tanpa akun", year=2025
    )
    time_machine.move_to(at(3, 9, 30), tick=False)
    sla_sweep()
    # Step 1's assignee has no login: no notice, but the e-mail goes out.
    assert [m.to for m in mail.outbox] == [["kadis.baru@example.test"]]
    assert (
        not Notification.objects.filter(task__instance=instance).exclude(kind="new_task").exists()
    )


def test_closed_tasks_and_other_moments_are_left_alone(world, drafting, time_machine):
    time_machine.move_to(at(4, 9, 0), tick=False)
    world.complete(world.sekretaris, drafting)
    mail.outbox.clear()
    time_machine.move_to(at(4, 10, 0), tick=False)  # step 2 would be past due now
    report = sla_sweep()
    assert drafting.pk not in report.overdue + report.reminded + report.breach_notified
    drafting.refresh_from_db()
    assert drafting.overdue_at is None


def test_the_sweep_takes_a_constant_number_of_queries_per_task(
    world, time_machine, django_assert_max_num_queries
):
    """A background sweep may touch each due task, but a fixed number of times each."""
    world.kadis_position.superior = world.sekretaris_position  # every breach escalates
    world.kadis_position.save()

    def sweep_fresh(subjects: list[str]) -> int:
        time_machine.move_to(MONDAY_9, tick=False)
        for subject in subjects:
            world.start(subject)
        time_machine.move_to(at(3, 10, 0), tick=False)
        with django_assert_max_num_queries(25 * len(subjects) + 5) as captured:
            report = sla_sweep()
        assert len(report.escalated) == len(subjects)
        return len(captured.captured_queries)

    small = sweep_fresh(["A", "B"])
    large = sweep_fresh(["C", "D", "E", "F", "G", "H"])
    assert large <= 3 * small
