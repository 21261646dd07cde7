"""`entries_record_many`: the bulk form of `entry_record`, with the same rules."""

from decimal import Decimal

import pytest

from kinerja.collection.domain.workbook_checks import EntryData
from kinerja.collection.models import Entry
from kinerja.collection.review import worksheet_return, worksheet_submit
from kinerja.collection.services import entry_record
from kinerja.collection.workbook_services import entries_record_many
from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.organizations.access import scope_for
from tests.collection.test_workbook import create, fresh, sheet_of
from tests.collection.world import collection_world

D = Decimal
pytestmark = pytest.mark.usefixtures("english")

#: what Entry holds besides its row, id and time
COMPARED = (
    "version",
    "value",
    "numerator",
    "denominator",
    "analysis",
    "obstacles",
    "follow_up",
    "entered_by_id",
    "submission_no",
)


@pytest.fixture
def world(agency):
    return collection_world(agency)


@pytest.fixture
def ws(world):
    return sheet_of(create(world), world.units[0])


@pytest.fixture
def holder(world):
    return scope_for(world.data_holder.user)


@pytest.fixture
def rows(world, ws):
    """indicator → its row id on Bidang A's worksheet"""
    return {
        "cumulative": ws.rows.get(indicator=world.cumulative).pk,
        "last": ws.rows.get(indicator=world.last_value).pk,
    }


def record_many(actor, ws, data, versions):
    return entries_record_many(actor=actor, worksheet=ws, data=data, versions=versions)


def imports(ws):
    return ChangeRecord.objects.filter(model="worksheet", object_id=str(ws.pk), action="import")


def test_writes_what_entry_record_would_write(holder, ws, rows):
    by_one = entry_record(
        actor=holder,
        row=ws.rows.get(pk=rows["cumulative"]),
        value=D("12.5"),
        analysis="  Sesuai rencana ",
        obstacles="Hujan",
        expected_version=0,
    )

    (by_many,) = record_many(
        holder,
        ws,
        {rows["last"]: EntryData(value=D("12.5"), analysis="  Sesuai rencana ", obstacles="Hujan")},
        {rows["last"]: 0},
    )

    stored = Entry.objects.get(row_id=rows["last"])
    assert stored.pk == by_many.pk
    assert {name: getattr(by_many, name) for name in COMPARED} == {
        name: getattr(by_one, name) for name in COMPARED
    }
    assert stored.analysis == "Sesuai rencana"
    assert stored.entered_at is not None


def test_only_changed_rows_get_a_version_and_the_revision_moves_once(holder, ws, rows):
    entry_record(
        actor=holder, row=ws.rows.get(pk=rows["cumulative"]), value=D(10), expected_version=0
    )
    revision = fresh(ws).revision

    created = record_many(
        holder,
        ws,
        {rows["cumulative"]: EntryData(value=D("10.0")), rows["last"]: EntryData(value=D(40))},
        {rows["cumulative"]: 1, rows["last"]: 0},
    )

    assert [(e.row_id, e.version, e.value) for e in created] == [(rows["last"], 1, D(40))]
    assert Entry.objects.filter(row_id=rows["cumulative"]).count() == 1
    assert fresh(ws).revision == revision + 1
    (record,) = imports(ws)
    assert record.changes["entries"] == {"old": 0, "new": 1}
    assert record.user_id == holder.user_id


def test_nothing_changed_writes_nothing(holder, ws, rows):
    revision = fresh(ws).revision

    assert record_many(holder, ws, {rows["last"]: EntryData()}, {rows["last"]: 0}) == []

    assert fresh(ws).revision == revision
    assert not imports(ws).exists()


def test_a_version_someone_moved_on_is_a_conflict_and_writes_nothing(holder, ws, rows):
    entry_record(actor=holder, row=ws.rows.get(pk=rows["last"]), value=D(1), expected_version=0)

    with pytest.raises(Conflict):
        record_many(
            holder,
            ws,
            {rows["cumulative"]: EntryData(value=D(5)), rows["last"]: EntryData(value=D(2))},
            {rows["cumulative"]: 0, rows["last"]: 0},
        )

    assert Entry.objects.count() == 1


def test_who_may_not_enter_the_row_is_denied(world, ws, rows):
    head_b = scope_for(world.small.unit_heads[1].user)

    with pytest.raises(AccessDenied):
        record_many(head_b, ws, {rows["last"]: EntryData(value=D(2))}, {rows["last"]: 0})

    assert not Entry.objects.exists()


def test_a_submitted_worksheet_is_refused_and_a_returned_one_counts_the_next_submission(
    world, holder, ws, rows
):
    data = {rows["cumulative"]: EntryData(value=D(20)), rows["last"]: EntryData(value=D(40))}
    record_many(holder, ws, data, {rows["cumulative"]: 0, rows["last"]: 0})
    worksheet_submit(actor=holder, worksheet=ws, expected_revision=fresh(ws).revision)

    with pytest.raises(ValidationFailed):
        record_many(holder, ws, {rows["last"]: EntryData(value=D(41))}, {rows["last"]: 1})

    worksheet_return(
        actor=world.coordinator,
        worksheet=fresh(ws),
        reason="Periksa lagi",
        row_reasons={},
        expected_revision=fresh(ws).revision,
    )
    (entry,) = record_many(holder, ws, {rows["last"]: EntryData(value=D(41))}, {rows["last"]: 1})
    assert (entry.version, entry.submission_no) == (2, 2)
