from decimal import Decimal

import pytest

from kinerja.collection.selectors import (
    collection_get,
    entry_history,
    worksheet_get,
    worksheet_row_get,
    worksheet_rows,
    worksheets_for,
)
from kinerja.collection.services import collection_create, entry_record
from kinerja.core.errors import NotFound
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.api.scenario import realize
from tests.collection.world import collection_world
from tests.factories import staff

YEAR = 2025


def build(agency, *, period="tw2", extra_indicators=0):
    world = collection_world(agency, extra_indicators=extra_indicators)
    collection = collection_create(
        actor=world.coordinator, agency=world.agency, year=YEAR, period=period
    )
    return world, collection


def fill(world, collection):
    """An entry (two versions on the first row) on every row of every worksheet."""
    for worksheet in collection.worksheets.all():
        for row in worksheet.rows.all():
            entry_record(actor=world.coordinator, row=row, value=Decimal(1), expected_version=0)
            if row.sort_order == 0:
                entry_record(actor=world.coordinator, row=row, value=Decimal(2), expected_version=1)


def test_rows_carry_the_current_entry_and_the_previous_quarter(agency):
    world, collection = build(agency)
    realize(world.cumulative, {1: "9"})
    fill(world, collection)
    worksheet = collection.worksheets.get(unit=world.units[0])

    views = worksheet_rows(scope=world.coordinator, worksheet=worksheet)

    first, second = views
    assert (first.row.indicator, first.current.value, first.version) == (
        world.cumulative,
        Decimal(2),
        2,
    )
    assert first.previous_value == Decimal(9)
    assert (second.current.value, second.version, second.previous_value) == (Decimal(1), 1, None)


def test_the_first_quarter_has_no_previous_quarter(agency):
    world, collection = build(agency, period="tw1")
    realize(world.cumulative, {4: "9"})
    worksheet = collection.worksheets.get(unit=world.units[0])

    views = worksheet_rows(scope=world.coordinator, worksheet=worksheet)

    assert [view.previous_value for view in views] == [None, None]
    assert [view.version for view in views] == [0, 0]


def test_history_keeps_every_version_in_order(agency):
    world, collection = build(agency)
    fill(world, collection)
    row = collection.worksheets.get(unit=world.units[0]).rows.get(indicator=world.cumulative)

    history = entry_history(scope=world.coordinator, row=row)

    assert [(e.version, e.value) for e in history] == [(1, Decimal(1)), (2, Decimal(2))]
    assert history[0].entered_by_id == world.coordinator.user_id


def test_the_whole_agency_reads_and_other_agencies_get_not_found(agency, other_agency):
    _world, collection = build(agency)
    reader = scope_for(staff(agency=agency, role_key=RoleKey.STAF))
    outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))
    worksheet = collection.worksheets.first()
    row = worksheet.rows.first()

    assert collection_get(scope=reader, collection_id=collection.pk) == collection
    assert len(worksheets_for(scope=reader, collection=collection)) == 2
    with pytest.raises(NotFound):
        collection_get(scope=outsider, collection_id=collection.pk)
    with pytest.raises(NotFound):
        worksheets_for(scope=outsider, collection=collection)
    with pytest.raises(NotFound):
        worksheet_rows(scope=outsider, worksheet=worksheet)
    with pytest.raises(NotFound):
        entry_history(scope=outsider, row=row)
    with pytest.raises(NotFound):
        worksheet_get(scope=outsider, worksheet_id=worksheet.pk)
    with pytest.raises(NotFound):
        worksheet_row_get(scope=outsider, row_id=row.pk)


def test_worksheets_list_their_row_counts(agency):
    world, collection = build(agency, extra_indicators=3)

    counts = {
        ws.unit: ws.row_count
        for ws in worksheets_for(scope=world.coordinator, collection=collection)
    }

    assert counts == {world.units[0]: 4, world.units[1]: 2}


@pytest.mark.parametrize("extra", [0, 12])
def test_query_counts_do_not_grow_with_the_data(agency, extra, django_assert_max_num_queries):
    world, collection = build(agency, extra_indicators=extra)
    fill(world, collection)
    worksheet = worksheet_get(
        scope=world.coordinator, worksheet_id=collection.worksheets.first().pk
    )

    with django_assert_max_num_queries(2):
        worksheets_for(scope=world.coordinator, collection=collection)
    with django_assert_max_num_queries(4):
        views = worksheet_rows(scope=world.coordinator, worksheet=worksheet)
        [(view.row.indicator.code, view.row.data_holder, view.current) for view in views]


@pytest.mark.parametrize("extra", [0, 12])
def test_creation_queries_do_not_grow_per_row(agency, extra, django_assert_max_num_queries):
    world = collection_world(agency, extra_indicators=extra)

    # indicators 4 + lock 1 + exists 1 + create 1 + calendar 2 + holders 2
    # + one insert per worksheet (2) + rows 1 + change record 1, with savepoints
    with django_assert_max_num_queries(20):
        collection_create(actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2")
