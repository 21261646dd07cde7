from decimal import Decimal

import pytest

from kinerja.collection.chain import DEFAULT_CHAIN, next_approver
from kinerja.collection.models import Collection, Entry, Evidence, ReviewComment, Worksheet
from kinerja.collection.review import (
    collection_lock,
    collection_reopen,
    worksheet_accept,
    worksheet_approve,
    worksheet_return,
    worksheet_submit,
)
from kinerja.collection.review_selectors import (
    changes_since_last_review,
    row_review_notes,
    worksheet_problems,
)
from kinerja.collection.services import collection_create, entry_record
from kinerja.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.documents.models import Document, DocumentKind
from kinerja.measurement.models import Realization
from kinerja.measurement.services import realization_record
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from kinerja.planning.models import Indicator
from tests.api.scenario import realize
from tests.collection.world import collection_world
from tests.factories import staff

YEAR = 2025
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def world(agency):
    return collection_world(agency)


class Actors:
    def __init__(self, world):
        small = world.small
        self.holder = scope_for(world.data_holder.user)
        self.kasubbag = world.coordinator
        self.sekretaris = scope_for(small.sekretaris.user)
        self.kadis = scope_for(small.kadis.user)
        self.head_a = scope_for(small.unit_heads[0].user)
        self.head_b = scope_for(small.unit_heads[1].user)


@pytest.fixture
def who(world):
    return Actors(world)


def create(world, period="tw2"):
    return collection_create(actor=world.coordinator, agency=world.agency, year=YEAR, period=period)


@pytest.fixture
def collection(world):
    return create(world)


def sheet(collection, unit) -> Worksheet:
    return Worksheet.objects.select_related("collection__agency", "unit__agency").get(
        collection=collection, unit=unit
    )


@pytest.fixture
def ws(world, collection):
    """Bidang A's worksheet: the cumulative indicator (TW II target 20), the last-value one (40)."""
    return sheet(collection, world.units[0])


def row(ws, indicator):
    return ws.rows.get(indicator=indicator)


def enter(actor, ws, indicator, value, analysis=""):
    target = row(ws, indicator)
    current = Entry.objects.filter(row=target).order_by("-version").first()
    return entry_record(
        actor=actor,
        row=target,
        value=None if value is None else Decimal(value),
        analysis=analysis,
        expected_version=current.version if current else 0,
    )


def fresh(ws) -> Worksheet:
    return sheet(ws.collection, ws.unit)


def fill(world, who, ws):
    enter(who.holder, ws, world.cumulative, "20")
    enter(who.holder, ws, world.last_value, "40")


def submit(actor, ws):
    return worksheet_submit(actor=actor, worksheet=ws, expected_revision=fresh(ws).revision)


def accept(actor, ws):
    return worksheet_accept(actor=actor, worksheet=ws, expected_revision=fresh(ws).revision)


def approve(actor, ws):
    return worksheet_approve(actor=actor, worksheet=ws, expected_revision=fresh(ws).revision)


def give_back(actor, ws, reason="Periksa lagi", row_reasons=None):
    return worksheet_return(
        actor=actor,
        worksheet=ws,
        reason=reason,
        row_reasons=row_reasons or {},
        expected_revision=fresh(ws).revision,
    )


def approved(world, who, ws):
    fill(world, who, ws)
    submit(who.holder, ws)
    accept(who.kasubbag, ws)
    approve(who.sekretaris, ws)
    return approve(who.kadis, ws)


def refusal(excinfo) -> list[str]:
    return [message for messages in excinfo.value.errors.values() for message in messages]


class TestSubmit:
    def test_a_complete_worksheet_is_submitted(self, world, who, ws):
        fill(world, who, ws)
        before = fresh(ws).revision

        result = submit(who.holder, ws)

        assert result.status == Worksheet.Status.SUBMITTED
        assert fresh(ws).status == Worksheet.Status.SUBMITTED
        assert fresh(ws).submission_count == 1
        assert fresh(ws).revision == before + 1
        record = ChangeRecord.objects.get(model="worksheet", object_id=str(ws.pk), action="submit")
        assert record.changes["status"] == {"old": "draft", "new": "submitted"}

    def test_the_unit_head_may_submit_too(self, world, who, ws):
        fill(world, who, ws)

        assert submit(who.head_a, ws).status == Worksheet.Status.SUBMITTED

    def test_a_missing_value_blocks_and_names_the_indicator(self, world, who, ws):
        enter(who.holder, ws, world.cumulative, "20")

        with pytest.raises(ValidationFailed) as excinfo:
            submit(who.holder, ws)

        missing = row(ws, world.last_value)
        assert excinfo.value.errors == {
            str(missing.pk): [f"{world.last_value}: enter the realisation."]
        }
        assert fresh(ws).status == Worksheet.Status.DRAFT
        assert fresh(ws).submission_count == 0

    def test_a_percentage_above_100_blocks(self, world, who, ws):
        enter(who.holder, ws, world.cumulative, "20")
        enter(who.holder, ws, world.last_value, "120", analysis="Melampaui target")

        with pytest.raises(ValidationFailed) as excinfo:
            submit(who.holder, ws)

        assert excinfo.value.errors == {
            str(row(ws, world.last_value).pk): [
                f"{world.last_value}: a percentage must be between 0 and 100."
            ]
        }

    def test_a_cumulative_indicator_may_not_go_down_from_the_previous_quarter(self, world, who, ws):
        # Quarters hold their own amounts and add up, so only a negative one lowers the total.
        realize(world.cumulative, {1: 15})
        enter(who.holder, ws, world.cumulative, "-3", analysis="Koreksi")
        enter(who.holder, ws, world.last_value, "40")

        with pytest.raises(ValidationFailed) as excinfo:
            submit(who.holder, ws)

        assert (
            f"{world.cumulative}: a cumulative indicator cannot go down from the previous quarter "
            "(this quarter's own amount cannot be negative)." in refusal(excinfo)
        )

    def test_a_deviation_needs_an_explanation(self, world, who, ws):
        enter(who.holder, ws, world.cumulative, "20")
        enter(who.holder, ws, world.last_value, "10")

        with pytest.raises(ValidationFailed) as excinfo:
            submit(who.holder, ws)
        assert refusal(excinfo) == [
            f"{world.last_value}: the realisation is more than 50% away from the target; "
            "explain it in the analysis."
        ]

        enter(who.holder, ws, world.last_value, "10", analysis="Anggaran terlambat cair")
        assert submit(who.holder, ws).status == Worksheet.Status.SUBMITTED

    def test_a_deviation_from_the_previous_quarter_needs_an_explanation(self, world, who, ws):
        realize(world.last_value, {1: 100})
        fill(world, who, ws)

        with pytest.raises(ValidationFailed) as excinfo:
            submit(who.holder, ws)

        assert refusal(excinfo) == [
            f"{world.last_value}: the realisation is more than 50% away from the previous "
            "quarter; explain it in the analysis."
        ]

    def test_required_evidence_must_be_attached(self, world, who, ws):
        Indicator.objects.filter(pk=world.cumulative.pk).update(evidence_required=True)
        fill(world, who, ws)

        with pytest.raises(ValidationFailed) as excinfo:
            submit(who.holder, ws)
        assert refusal(excinfo) == [
            f"{world.cumulative}: this indicator requires supporting evidence."
        ]

        document = Document.objects.create(
            agency=world.agency, kind=DocumentKind.SURAT, title="Laporan koperasi"
        )
        Evidence.objects.create(row=row(ws, world.cumulative), document=document)
        assert submit(who.holder, ws).status == Worksheet.Status.SUBMITTED

    def test_a_stale_revision_is_a_conflict(self, world, who, ws):
        fill(world, who, ws)
        seen = fresh(ws).revision
        enter(who.holder, ws, world.cumulative, "21")

        with pytest.raises(Conflict):
            worksheet_submit(actor=who.holder, worksheet=ws, expected_revision=seen)
        assert fresh(ws).status == Worksheet.Status.DRAFT

    def test_another_unit_and_another_agency_may_not_submit(self, world, who, ws, other_agency):
        fill(world, who, ws)
        outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        for actor in (who.head_b, outsider):
            with pytest.raises(AccessDenied):
                submit(actor, ws)
        assert fresh(ws).status == Worksheet.Status.DRAFT

    def test_a_submitted_worksheet_is_not_submitted_again(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)

        with pytest.raises(ValidationFailed):
            submit(who.holder, ws)
        assert fresh(ws).submission_count == 1


class TestReturn:
    def test_the_reasons_show_at_the_rows_until_the_unit_resubmits(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)
        pointed = row(ws, world.cumulative)

        give_back(who.kasubbag, ws, "Data TW II belum lengkap", {pointed.pk: "Cek angka"})

        assert fresh(ws).status == Worksheet.Status.RETURNED
        comments = ReviewComment.objects.filter(worksheet=ws, kind=ReviewComment.Kind.RETURN)
        assert [(c.row_id, c.text, c.submission_no) for c in comments] == [
            (None, "Data TW II belum lengkap", 1),
            (pointed.pk, "Cek angka", 1),
        ]
        reasons = row_review_notes(scope=who.holder, worksheet=fresh(ws))
        assert {row_id: [c.text for c in found] for row_id, found in reasons.items()} == {
            pointed.pk: ["Cek angka"]
        }
        assert ChangeRecord.objects.get(action="return").reason == "Data TW II belum lengkap"

        enter(who.holder, ws, world.cumulative, "22")
        submit(who.holder, ws)
        assert fresh(ws).submission_count == 2
        assert row_review_notes(scope=who.holder, worksheet=fresh(ws)) == {}

    def test_a_reason_is_mandatory(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)

        with pytest.raises(ValidationFailed) as excinfo:
            give_back(who.kasubbag, ws, "   ")
        assert "reason" in excinfo.value.errors
        assert fresh(ws).status == Worksheet.Status.SUBMITTED

    def test_a_row_reason_must_point_at_this_worksheet(self, world, who, ws, collection):
        fill(world, who, ws)
        submit(who.holder, ws)
        elsewhere = row(sheet(collection, world.units[1]), world.bidang_b)

        with pytest.raises(ValidationFailed):
            give_back(who.kasubbag, ws, "Periksa", {elsewhere.pk: "Bukan di sini"})
        assert not ReviewComment.objects.exists()

    def test_only_the_reviewers_return(self, world, who, ws, other_agency):
        fill(world, who, ws)
        submit(who.holder, ws)
        outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KASUBBAG_PROGRAM))

        for actor in (who.holder, who.head_a, outsider):
            with pytest.raises(AccessDenied):
                give_back(actor, ws)
        assert fresh(ws).status == Worksheet.Status.SUBMITTED

    def test_reasons_and_changes_are_not_read_from_another_agency(
        self, world, who, ws, other_agency
    ):
        outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        with pytest.raises(NotFound):
            row_review_notes(scope=outsider, worksheet=ws)
        with pytest.raises(NotFound):
            changes_since_last_review(scope=outsider, worksheet=ws, reviewer=outsider)

    def test_an_accepted_worksheet_may_be_returned_a_draft_not(self, world, who, ws):
        with pytest.raises(ValidationFailed):
            give_back(who.kasubbag, ws)

        fill(world, who, ws)
        submit(who.holder, ws)
        accept(who.kasubbag, ws)
        give_back(who.sekretaris, ws)
        assert fresh(ws).status == Worksheet.Status.RETURNED

    def test_a_stale_revision_is_a_conflict(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)

        with pytest.raises(Conflict):
            worksheet_return(
                actor=who.kasubbag, worksheet=ws, reason="x", row_reasons={}, expected_revision=0
            )


class TestApprovalChain:
    def test_accept_then_sekretaris_then_kepala_dinas(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)
        assert next_approver(fresh(ws), DEFAULT_CHAIN) is None

        with pytest.raises(AccessDenied):
            accept(who.sekretaris, ws)
        accept(who.kasubbag, ws)
        assert fresh(ws).status == Worksheet.Status.ACCEPTED
        assert next_approver(fresh(ws), DEFAULT_CHAIN) == RoleKey.SEKRETARIS

        with pytest.raises(AccessDenied):
            approve(who.kadis, ws)  # the Sekretaris comes first
        approve(who.sekretaris, ws)
        assert fresh(ws).status == Worksheet.Status.ACCEPTED
        assert next_approver(fresh(ws), DEFAULT_CHAIN) == RoleKey.KEPALA_DINAS
        with pytest.raises(AccessDenied):
            approve(who.sekretaris, ws)

        approve(who.kadis, ws)
        assert fresh(ws).status == Worksheet.Status.APPROVED
        kinds = list(
            ReviewComment.objects.filter(worksheet=ws).values_list("kind", "author", flat=False)
        )
        assert kinds == [
            ("accept", who.kasubbag.user_id),
            ("approve", who.sekretaris.user_id),
            ("approve", who.kadis.user_id),
        ]

    def test_the_final_approval_records_the_realisasi(self, world, who, ws):
        realize(world.last_value, {2: 30})  # entered by hand before: kept as a revision
        approved(world, who, ws)

        realisations = {
            r.indicator_id: r
            for r in Realization.objects.filter(year=YEAR, quarter=2).prefetch_related("revisions")
        }
        assert set(realisations) == {world.cumulative.pk, world.last_value.pk}
        cumulative = realisations[world.cumulative.pk]
        assert (cumulative.value, cumulative.source) == (Decimal(20), "collection")
        last = realisations[world.last_value.pk]
        assert (last.value, last.source, last.version) == (Decimal(40), "collection", 2)
        assert [(r.value, r.source) for r in last.revisions.order_by("version")] == [
            (Decimal(30), "manual"),
            (Decimal(40), "collection"),
        ]

    def test_nothing_is_recorded_before_the_last_approval(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)
        accept(who.kasubbag, ws)
        approve(who.sekretaris, ws)

        assert not Realization.objects.exists()

    def test_a_semester_collection_records_no_quarter(self, world, who):
        ws = sheet(create(world, period="s1"), world.units[0])
        enter(who.holder, ws, world.cumulative, "30")
        enter(who.holder, ws, world.last_value, "40")

        approved(world, who, ws)

        assert fresh(ws).status == Worksheet.Status.APPROVED
        assert not Realization.objects.exists()

    def test_only_the_chain_approves(self, world, who, ws, other_agency):
        fill(world, who, ws)
        submit(who.holder, ws)
        outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.SEKRETARIS))

        with pytest.raises(ValidationFailed):
            approve(who.sekretaris, ws)  # not accepted yet
        accept(who.kasubbag, ws)
        for actor in (who.kasubbag, who.holder, outsider):
            with pytest.raises(AccessDenied):
                approve(actor, ws)
        assert not ReviewComment.objects.filter(kind=ReviewComment.Kind.APPROVE).exists()

    def test_a_stale_revision_is_a_conflict(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)
        seen = fresh(ws).revision
        accept(who.kasubbag, ws)

        with pytest.raises(Conflict):
            worksheet_approve(actor=who.sekretaris, worksheet=ws, expected_revision=seen)
        with pytest.raises(Conflict):
            worksheet_accept(actor=who.kasubbag, worksheet=ws, expected_revision=seen)

    def test_a_return_after_approvals_restarts_the_chain(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)
        accept(who.kasubbag, ws)
        approve(who.sekretaris, ws)
        give_back(who.kadis, ws, "Perbaiki analisis")

        enter(who.holder, ws, world.cumulative, "20", analysis="Sesuai rencana")
        submit(who.holder, ws)
        accept(who.kasubbag, ws)

        assert next_approver(fresh(ws), DEFAULT_CHAIN) == RoleKey.SEKRETARIS


def approve_all(world, who, collection):
    approved(world, who, sheet(collection, world.units[0]))
    approve_bidang_b(world, who, collection)


def approve_bidang_b(world, who, collection):
    ws_b = sheet(collection, world.units[1])
    enter(who.head_b, ws_b, world.bidang_b, "3")
    submit(who.head_b, ws_b)
    accept(who.kasubbag, ws_b)
    approve(who.sekretaris, ws_b)
    approve(who.kadis, ws_b)


class TestLockAndReopen:
    def test_the_kepala_dinas_locks_once_every_worksheet_is_approved(
        self, world, who, collection, ws
    ):
        approved(world, who, ws)
        with pytest.raises(ValidationFailed):
            collection_lock(actor=who.kadis, collection=collection)  # Bidang B is pending

        approve_bidang_b(world, who, collection)
        with pytest.raises(AccessDenied):
            collection_lock(actor=who.kasubbag, collection=collection)
        collection_lock(actor=who.kadis, collection=collection)

        collection.refresh_from_db()
        assert collection.status == Collection.Status.LOCKED
        assert ChangeRecord.objects.filter(model="collection", action="lock").count() == 1
        with pytest.raises(ValidationFailed):
            give_back(who.kadis, ws)
        with pytest.raises(ValidationFailed):
            collection_lock(actor=who.kadis, collection=collection)

    def test_only_the_kepala_dinas_reopens_with_a_reason(self, world, who, collection, ws):
        approve_all(world, who, collection)
        with pytest.raises(ValidationFailed):
            collection_reopen(actor=who.kadis, collection=collection, reason="Belum dikunci")
        collection_lock(actor=who.kadis, collection=collection)

        with pytest.raises(AccessDenied):
            collection_reopen(actor=who.sekretaris, collection=collection, reason="Koreksi")
        with pytest.raises(ValidationFailed) as excinfo:
            collection_reopen(actor=who.kadis, collection=collection, reason=" ")
        assert "reason" in excinfo.value.errors

        collection_reopen(actor=who.kadis, collection=collection, reason="Koreksi data BPS")

        collection.refresh_from_db()
        assert collection.status == Collection.Status.DRAFT  # it runs without an SOP
        record = ChangeRecord.objects.get(model="collection", action="reopen")
        assert (record.reason, record.user_id) == ("Koreksi data BPS", who.kadis.user_id)
        statuses = set(collection.worksheets.values_list("status", flat=True))
        assert statuses == {Worksheet.Status.ACCEPTED}
        assert next_approver(fresh(ws), DEFAULT_CHAIN) == RoleKey.SEKRETARIS

        give_back(who.kasubbag, ws, "Angka BPS berubah")
        enter(who.holder, ws, world.last_value, "45")
        assert submit(who.holder, ws).status == Worksheet.Status.SUBMITTED


class TestChangesSinceLastReview:
    def test_a_reviewer_sees_old_and_new_values(self, world, who, ws):
        fill(world, who, ws)
        submit(who.holder, ws)
        give_back(who.kasubbag, ws, "Cek angka")

        enter(who.holder, ws, world.cumulative, "21")
        enter(who.holder, ws, world.cumulative, "22")

        changes = changes_since_last_review(scope=who.kasubbag, worksheet=ws, reviewer=who.kasubbag)
        assert [(c.row.indicator, c.old.value, c.new.value) for c in changes] == [
            (world.cumulative, Decimal(20), Decimal(22))
        ]
        never = changes_since_last_review(scope=who.kasubbag, worksheet=ws, reviewer=who.kadis)
        assert never == []

    def test_a_row_first_filled_after_the_review_has_no_old_value(self, world, who, ws):
        enter(who.holder, ws, world.cumulative, "20")
        enter(who.holder, ws, world.last_value, "40")
        submit(who.holder, ws)
        give_back(who.kasubbag, ws, "Cek")
        enter(who.holder, ws, world.last_value, "41")

        changes = changes_since_last_review(scope=who.holder, worksheet=ws, reviewer=who.kasubbag)

        assert [(c.row.indicator, c.old.value, c.new.value) for c in changes] == [
            (world.last_value, Decimal(40), Decimal(41))
        ]


class TestQueries:
    @pytest.mark.parametrize("extra", [0, 8])
    def test_reads_do_not_grow_with_the_rows(self, agency, extra, django_assert_max_num_queries):
        world = collection_world(agency, extra_indicators=extra)
        who = Actors(world)
        ws = sheet(create(world), world.units[0])
        for view_row in ws.rows.select_related("indicator"):
            entry_record(actor=who.kasubbag, row=view_row, value=Decimal("0.5"), expected_version=0)
        with django_assert_max_num_queries(6):
            problems = worksheet_problems(scope=who.kasubbag, worksheet=ws)
        assert len(problems) == 2 + extra // 2  # 0.5 is far from every target
        with django_assert_max_num_queries(2):
            row_review_notes(scope=who.kasubbag, worksheet=ws)
        with django_assert_max_num_queries(3):
            changes_since_last_review(scope=who.kasubbag, worksheet=ws, reviewer=who.kasubbag)


def test_a_locked_quarter_keeps_its_realisation_against_other_sources(world, who):
    collection = create(world)
    for sheet_ in collection.worksheets.select_related("collection__agency", "unit__agency"):
        for view_row in sheet_.rows.select_related("indicator"):
            entry_record(
                actor=who.kasubbag,
                row=view_row,
                value=view_row.target_value or Decimal(1),
                expected_version=0,
            )
        for step, actor in (
            (worksheet_submit, who.kasubbag),
            (worksheet_accept, who.kasubbag),
            (worksheet_approve, who.sekretaris),
            (worksheet_approve, who.kadis),
        ):
            current = fresh(sheet_)
            step(actor=actor, worksheet=current, expected_revision=current.revision)
    collection_lock(actor=who.kadis, collection=collection)

    with pytest.raises(ValidationFailed, match="locked by its data collection"):
        realization_record(
            actor=who.kadis,
            indicator=world.last_value,
            year=YEAR,
            quarter=2,
            value=Decimal(1),
            source=Realization.Source.IMPORT,
            check_access=False,
        )

    assert Realization.objects.get(indicator=world.last_value, year=YEAR, quarter=2).value == 40
