"""`kinerja audit verify`: the hash chain holds, and an altered or missing row is named."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.translation import gettext

from kinerja.workflow import services
from kinerja.workflow.domain.engine import Outcome
from kinerja.workflow.models import WorkflowEvent
from tests.workflow.sop_world import (
    SYSTEM,
    complete_as_assignee,
    import_small_sop,
    open_tasks,
    small_agency,
)

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def processes(agency):
    small_agency(agency)
    sop = import_small_sop(agency)
    first = services.instance_start(actor=SYSTEM, sop=sop, subject="Data TW I 2025")
    complete_as_assignee(open_tasks(first)[0], Outcome.DONE)
    complete_as_assignee(open_tasks(first)[0], Outcome.DONE)
    second = services.instance_start(actor=SYSTEM, sop=sop, subject="Data TW II 2025")
    return first, second


def test_an_intact_log_is_ok_with_its_counts(processes):
    events = WorkflowEvent.objects.count()

    assert verify() == gettext("OK: %(events)s events in %(processes)s processes.") % {
        "events": events,
        "processes": 2,
    }


def test_an_empty_log_is_ok():
    assert verify() == gettext("OK: %(events)s events in %(processes)s processes.") % {
        "events": 0,
        "processes": 0,
    }


def test_an_altered_row_is_reported_with_its_process_and_sequence(processes):
    first, _ = processes
    altered = first.events.get(sequence=3)
    WorkflowEvent.objects.filter(pk=altered.pk).update(payload={"step": 1, "outcome": "no"})

    with pytest.raises(CommandError) as caught:
        verify()

    assert caught.value.returncode == 1
    assert str(caught.value) == gettext(
        "Broken link: process %(process)s, event %(sequence)s: %(reason)s."
    ) % {"process": first.pk, "sequence": 3, "reason": gettext("its content was altered")}


def test_a_changed_time_or_user_is_an_alteration_too(processes):
    first, _ = processes
    event = first.events.get(sequence=2)
    WorkflowEvent.objects.filter(pk=event.pk).update(at=event.at.replace(year=2020))

    with pytest.raises(CommandError) as caught:
        verify()

    assert str(caught.value) == gettext(
        "Broken link: process %(process)s, event %(sequence)s: %(reason)s."
    ) % {"process": first.pk, "sequence": 2, "reason": gettext("its content was altered")}


def test_a_deleted_row_is_reported_as_a_missing_event(processes):
    _, second = processes
    removed = second.events.get(sequence=1)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {WorkflowEvent._meta.db_table} WHERE id = %s", [removed.pk])

    with pytest.raises(CommandError) as caught:
        verify()

    assert str(caught.value) == gettext(
        "Broken link: process %(process)s, event %(sequence)s: %(reason)s."
    ) % {
        "process": second.pk,
        "sequence": 2,
        "reason": gettext("an event before this one is missing"),
    }
