"""Recording realisasi keeps every version and refuses stale or unauthorised writes."""

from decimal import Decimal as D

import pytest

from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.measurement.models import Realization, RealizationRevision
from kinerja.measurement.services import realization_record
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.factories import (
    IndicatorFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    StrategicPlanFactory,
    staff,
)


@pytest.fixture
def setup(agency):
    unit = OrgUnitFactory(agency=agency)
    plan = StrategicPlanFactory(agency=agency)
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan), responsible_unit=unit)
    holder = scope_for(staff(agency=agency, unit=unit, role_key=RoleKey.PEMEGANG_DATA))
    return indicator, unit, holder


def test_every_change_is_a_new_version(setup):
    indicator, _, holder = setup
    first = realization_record(
        actor=holder, indicator=indicator, year=2025, quarter=1, value=D("10")
    )
    second = realization_record(
        actor=holder, indicator=indicator, year=2025, quarter=1, value=D("12.5"), expected_version=1
    )
    assert first.pk == second.pk
    assert second.version == 2 and second.value == D("12.5")
    revisions = list(RealizationRevision.objects.filter(realization=second).order_by("version"))
    assert [(r.version, r.value, r.previous_value) for r in revisions] == [
        (1, D("10"), None),
        (2, D("12.5"), D("10")),
    ]


def test_recording_the_same_value_changes_nothing(setup):
    indicator, _, holder = setup
    realization_record(actor=holder, indicator=indicator, year=2025, quarter=2, value=D("7"))
    again = realization_record(
        actor=holder, indicator=indicator, year=2025, quarter=2, value=D("7")
    )
    assert again.version == 1
    assert RealizationRevision.objects.count() == 1


def test_stale_version_is_a_conflict_and_keeps_the_newer_value(setup):
    indicator, _, holder = setup
    realization_record(actor=holder, indicator=indicator, year=2025, quarter=1, value=D("10"))
    realization_record(
        actor=holder, indicator=indicator, year=2025, quarter=1, value=D("11"), expected_version=1
    )
    with pytest.raises(Conflict):
        realization_record(
            actor=holder,
            indicator=indicator,
            year=2025,
            quarter=1,
            value=D("99"),
            expected_version=1,
        )
    assert Realization.objects.get().value == D("11")


def test_another_units_data_holder_is_refused(setup, agency):
    indicator, _, _ = setup
    stranger = scope_for(
        staff(agency=agency, unit=OrgUnitFactory(agency=agency), role_key=RoleKey.PEMEGANG_DATA)
    )
    with pytest.raises(AccessDenied):
        realization_record(actor=stranger, indicator=indicator, year=2025, quarter=1, value=D("1"))
    assert not Realization.objects.exists()


def test_another_agency_is_refused(setup, other_agency):
    indicator, _, _ = setup
    outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))
    with pytest.raises(AccessDenied):
        realization_record(actor=outsider, indicator=indicator, year=2025, quarter=1, value=D("1"))


def test_quarter_outside_one_to_four_is_rejected(setup):
    indicator, _, holder = setup
    with pytest.raises(ValidationFailed):
        realization_record(actor=holder, indicator=indicator, year=2025, quarter=5, value=D("1"))
    assert not Realization.objects.exists()
