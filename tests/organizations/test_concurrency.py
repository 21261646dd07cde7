"""Two planners appointing a definitive holder at once: one appointment, one clear refusal."""

import datetime
import threading

import pytest
from django.db import connection, connections

from kinerja.core.errors import ValidationFailed
from kinerja.organizations import services
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Assignment, RoleKey
from tests.factories import AgencyFactory, EmployeeFactory, PositionFactory, staff

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_definitive_appointments_give_one_holder():
    agency = AgencyFactory()
    actor = scope_for(staff(agency=agency, role_key=RoleKey.KASUBBAG_PROGRAM))
    position = PositionFactory(agency=agency, role_key=RoleKey.KEPALA_BIDANG)
    candidates = [EmployeeFactory(), EmployeeFactory()]
    barrier = threading.Barrier(len(candidates))
    outcomes: list[str] = []

    def appoint(employee):
        try:
            barrier.wait(timeout=10)
            services.assignment_create(
                actor=actor,
                employee=employee,
                position=position,
                start_date=datetime.date(2025, 1, 1),
            )
            outcomes.append("appointed")
        except ValidationFailed as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=appoint, args=(c,)) for c in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes)[0].startswith("The position already has a definitive holder")
    assert sorted(outcomes)[1] == "appointed"
    assert Assignment.objects.filter(position=position).count() == 1
