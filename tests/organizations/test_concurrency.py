"""Two organisers doing the same thing at once: one change, one clear refusal."""

import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.utils import translation

from kinerja.core.errors import ValidationFailed
from kinerja.organizations import services
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Assignment, RoleKey, Team, TeamMember
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    EmployeeFactory,
    PositionFactory,
    staff,
)

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(action: Callable[[int], None], runners: int = 2) -> list[str]:
    """Run `action(n)` in `runners` threads released together; "done" or the refusal of each."""
    barrier = threading.Barrier(runners)
    outcomes: list[str] = []

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):  # a thread starts in the default language
                action(n)
            outcomes.append("done")
        except ValidationFailed as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_concurrent_definitive_appointments_give_one_holder():
    agency = AgencyFactory()
    actor = scope_for(staff(agency=agency, role_key=RoleKey.KASUBBAG))
    position = PositionFactory(agency=agency, role_key=RoleKey.KEPALA_BIDANG)
    candidates = [EmployeeFactory(), EmployeeFactory()]

    def appoint(n: int) -> None:
        services.assignment_create(
            actor=actor,
            employee=candidates[n],
            position=position,
            start_date=datetime.date(2025, 1, 1),
        )

    outcomes = race(appoint)
    assert outcomes[0].startswith("The position already has a definitive holder")
    assert outcomes[1] == "done"
    assert Assignment.objects.filter(position=position).count() == 1


@pytest.mark.django_db(transaction=True)
def test_seating_the_same_member_twice_at_once_gives_one_seat():
    agency = AgencyFactory()
    actor = scope_for(staff(agency=agency, role_key=RoleKey.KASUBBAG))
    team = Team.objects.create(agency=agency, kind=Team.Kind.SAKIP, name="Tim SAKIP", year=2025)
    employee = AssignmentFactory(position=PositionFactory(agency=agency)).employee

    def seat(n: int) -> None:
        services.team_member_add(actor=actor, team=team, employee=employee)

    outcomes = race(seat)
    assert outcomes == [f"{employee.name} is already a member of this team.", "done"]
    assert TeamMember.objects.filter(team=team).count() == 1
