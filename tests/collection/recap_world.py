"""Helpers of the recap tests (no tests here): a collection with a lower-is-better and a
range indicator besides `collection_world`'s, values entered through the real service,
the review chain run to approval, and a coordinating agency of the same government."""

from dataclasses import dataclass
from decimal import Decimal

from kinerja.collection.chain import approval_chain, next_approver
from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow
from kinerja.collection.review import (
    collection_lock,
    collection_reopen,
    worksheet_accept,
    worksheet_approve,
    worksheet_submit,
)
from kinerja.collection.services import collection_create, entry_record
from kinerja.organizations.access import UserScope, scope_for
from kinerja.organizations.models import Agency, RoleKey, User
from kinerja.planning.models import Indicator, Polarity
from kinerja.workflow.models import SopVersion
from tests.api.scenario import indicator, pk_line
from tests.collection.world import CollectionWorld, collection_world
from tests.factories import AgencyFactory, staff

YEAR = 2025


@dataclass
class RecapWorld:
    world: CollectionWorld
    lower: Indicator
    ranged: Indicator

    @property
    def agency(self) -> Agency:
        return self.world.agency

    @property
    def kasubbag(self) -> UserScope:
        return self.world.coordinator

    @property
    def kadis(self) -> UserScope:
        return scope_for(self.world.small.kadis.user)

    @property
    def sekretaris(self) -> UserScope:
        return scope_for(self.world.small.sekretaris.user)

    @property
    def holder(self) -> UserScope:
        return scope_for(self.world.data_holder.user)

    def head(self, number: int) -> UserScope:
        return scope_for(self.world.small.unit_heads[number].user)


def recap_world(agency: Agency, *, extra_indicators: int = 0) -> RecapWorld:
    """`collection_world` plus, in Bidang B, a lower-is-better indicator (TW II target 8)
    and, in Bidang A, a range indicator (TW II target 3–5)."""
    world = collection_world(agency, extra_indicators=extra_indicators)
    goal = world.cumulative.objective
    pk = world.cumulative.agreement_lines.get().agreement
    bidang_a, bidang_b, _upt = world.units
    lower = indicator(
        goal, polarity=Polarity.LOWER_IS_BETTER, responsible_unit=bidang_b, sort_order=4
    )
    pk_line(pk, lower, target=4, quarterly=[10, 8, 6, 4])
    ranged = indicator(goal, polarity=Polarity.RANGE, responsible_unit=bidang_a, sort_order=5)
    pk_line(pk, ranged, low=4, high=6, quarterly=[(1, 2), (3, 5), (4, 6), (4, 6)])
    return RecapWorld(world=world, lower=lower, ranged=ranged)


def open_collection(
    rw: RecapWorld, *, period: str = "tw2", sop: SopVersion | None = None
) -> Collection:
    return collection_create(actor=rw.kasubbag, agency=rw.agency, year=YEAR, period=period, sop=sop)


def row_of(collection: Collection, item: Indicator) -> WorksheetRow:
    return WorksheetRow.objects.select_related("worksheet__unit__agency", "indicator").get(
        worksheet__collection=collection, indicator=item
    )


def enter(
    actor: UserScope,
    collection: Collection,
    item: Indicator,
    value: str | None,
    **texts: str,
) -> None:
    """Record a version of the row's data through `entry_record` (numbers as Decimal)."""
    row = row_of(collection, item)
    current = Entry.objects.filter(row=row).order_by("-version").first()
    numbers = {
        name: Decimal(texts.pop(name)) for name in ("numerator", "denominator") if name in texts
    }
    entry_record(
        actor=actor,
        row=row,
        value=None if value is None else Decimal(value),
        expected_version=current.version if current else 0,
        analysis=texts.pop("analysis", "Sesuai rencana"),
        **numbers,
        **texts,
    )


#: the values `fill` enters, by indicator attribute
VALUES = {"cumulative": "25", "last_value": "30", "ranged": "6", "bidang_b": "4", "lower": "6"}


def indicator_of(rw: RecapWorld, name: str) -> Indicator:
    return getattr(rw, name) if hasattr(rw, name) else getattr(rw.world, name)


def fill(rw: RecapWorld, collection: Collection) -> None:
    """`VALUES` into their rows and the target into any other row (`extra_indicators`),
    entered by the row's data holder or unit head."""
    enter(
        rw.holder,
        collection,
        rw.world.cumulative,
        VALUES["cumulative"],
        analysis="Melampaui target",
        obstacles="Cuaca buruk",
        follow_up="Koordinasi dengan kabupaten",
    )
    enter(rw.holder, collection, rw.world.last_value, VALUES["last_value"])
    enter(rw.head(0), collection, rw.ranged, VALUES["ranged"])
    enter(rw.head(1), collection, rw.world.bidang_b, VALUES["bidang_b"])
    enter(rw.head(1), collection, rw.lower, VALUES["lower"])
    named = {indicator_of(rw, name).pk for name in VALUES}
    for row in WorksheetRow.objects.filter(worksheet__collection=collection).exclude(
        indicator_id__in=named
    ):
        head = rw.head(0) if row.worksheet.unit_id == rw.world.units[0].pk else rw.head(1)
        enter(head, collection, row.indicator, str(row.target_value))


def _fresh(worksheet: Worksheet) -> Worksheet:
    return Worksheet.objects.select_related("collection__agency", "unit__agency").get(
        pk=worksheet.pk
    )


def _approve_in_chain(rw: RecapWorld, worksheet: Worksheet) -> None:
    """Approve the accepted worksheet by each next role of its chain until APPROVED."""
    actors = {
        RoleKey.SEKRETARIS: rw.sekretaris,
        RoleKey.KEPALA_DINAS: rw.kadis,
        RoleKey.KASUBBAG_PROGRAM: rw.kasubbag,
    }
    chain = approval_chain(worksheet.collection)
    current = _fresh(worksheet)
    while current.status == Worksheet.Status.ACCEPTED:
        role = next_approver(current, chain)
        worksheet_approve(actor=actors[role], worksheet=current, expected_revision=current.revision)
        current = _fresh(worksheet)


def approve_all(rw: RecapWorld, collection: Collection) -> None:
    """Submit every worksheet and run it through the whole approval chain (the SOP's, if
    the collection runs one)."""
    for worksheet in collection.worksheets.order_by("pk"):
        submitter = rw.head(0) if worksheet.unit == rw.world.units[0] else rw.head(1)
        for actor, step in ((submitter, worksheet_submit), (rw.kasubbag, worksheet_accept)):
            current = _fresh(worksheet)
            step(actor=actor, worksheet=current, expected_revision=current.revision)
        _approve_in_chain(rw, worksheet)


def reopen_and_approve(rw: RecapWorld, collection: Collection) -> None:
    """The Kepala Dinas locks the collection and reopens it; every worksheet (back to
    ACCEPTED) goes through the rest of its approval chain again."""
    collection_lock(actor=rw.kadis, collection=collection)
    collection_reopen(actor=rw.kadis, collection=collection, reason="Koreksi data TW II")
    for worksheet in collection.worksheets.order_by("pk"):
        _approve_in_chain(rw, worksheet)


def coordinating_staff(
    agency: Agency, *, name: str = "Badan Perencanaan Pembangunan Daerah"
) -> User:
    """A user of a coordinating agency (BAPPEDA) of `agency`'s government."""
    bappeda = AgencyFactory(government=agency.government, name=name, is_coordinating=True)
    return staff(agency=bappeda, role_key=RoleKey.KEPALA_DINAS)
