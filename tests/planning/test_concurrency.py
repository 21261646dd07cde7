"""Two people at once (PostgreSQL): one signature and one message; one cell value, one conflict."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import translation
from django.utils.translation import gettext

from kinerja.core.errors import Conflict
from kinerja.planning import services
from kinerja.planning.models import PerformanceAgreement, QuarterlyTarget
from tests.planning.world import build_world, draft_agreement, fill_quarters, seen

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def at_once(*actions: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes, key=lambda outcome: outcome != "ok")


@pytest.mark.django_db(transaction=True)
def test_two_signatures_at_once_give_one_signed_pk_and_one_message(agency):
    world = build_world(agency)
    agreement = draft_agreement(world, lines={world.last_value: Decimal("80")})
    fill_quarters(world, agreement.lines.get(), ["20", "40", "60", "80"])
    scopes = [world.planner_scope, world.planner_scope]

    outcomes = at_once(
        *(lambda s=s: services.agreement_sign(actor=s, agreement=agreement) for s in scopes)
    )

    with translation.override("id"):  # the threads speak the default language
        refusal = gettext(
            "This performance agreement is signed and can no longer change; make a PK Perubahan."
        )
    assert outcomes == ["ok", refusal]
    assert PerformanceAgreement.objects.get(pk=agreement.pk).status == "signed"


@pytest.mark.django_db(transaction=True)
def test_two_edits_of_the_same_cell_give_one_value_and_one_conflict(agency):
    world = build_world(agency)
    line = draft_agreement(world, lines={world.cumulative: Decimal("100")}).lines.get()
    planner, unit_head = world.planner_scope, world.unit_head_scope

    outcomes = at_once(
        lambda: services.quarterly_target_set(
            actor=planner, line=line, quarter=1, value=Decimal("10"), seen=seen(None)
        ),
        lambda: services.quarterly_target_set(
            actor=unit_head, line=line, quarter=1, value=Decimal("15"), seen=seen(None)
        ),
    )

    assert outcomes[0] == "ok" and "TW I" in outcomes[1]
    assert QuarterlyTarget.objects.filter(line=line, quarter=1).count() == 1
