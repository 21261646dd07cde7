"""The recap table (`collection.recap.recap_build`), who sees it, and its files."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from kinerja.collection.models import Recap, Worksheet
from kinerja.collection.recap import agency_head, recap_build, row_target
from kinerja.collection.recap_access import recap_collection_get, received_recaps
from kinerja.collection.recap_export import number_format, recap_html, recap_pdf, recap_xlsx
from kinerja.core.domain.numbers import format_number
from kinerja.core.errors import NotFound
from kinerja.documents.models import Document
from kinerja.measurement.domain import achievement as engine
from kinerja.measurement.models import RatingScale
from kinerja.measurement.selectors import PERIOD_PARAMS, achievement_table
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Assignment, RoleKey
from kinerja.planning.models import Polarity
from tests.collection.recap_world import (
    VALUES,
    YEAR,
    approve_all,
    coordinating_staff,
    enter,
    fill,
    indicator_of,
    open_collection,
    recap_world,
    reopen_and_approve,
    row_of,
)
from tests.documents.samples import pdf as sample_pdf
from tests.factories import AgencyFactory, AssignmentFactory, UserFactory, staff

pytestmark = pytest.mark.usefixtures("english")

ENGINE_POLARITY = {
    Polarity.HIGHER_IS_BETTER: engine.Polarity.HIGHER_IS_BETTER,
    Polarity.LOWER_IS_BETTER: engine.Polarity.LOWER_IS_BETTER,
    Polarity.RANGE: engine.Polarity.RANGE,
}


@pytest.fixture
def rw(agency):
    return recap_world(agency)


@pytest.fixture
def collection(rw):
    return open_collection(rw)


def rows_by_code(table):
    return {row.indicator.code: (unit, row) for unit in table.units for row in unit.rows}


def expected_achievement(collection, item, value, *, cap=None):
    """The engine's capaian for the row's target and `value` (the same inputs)."""
    row = row_of(collection, item)
    return engine.compute_achievement(
        polarity=ENGINE_POLARITY[Polarity(item.polarity)],
        target=row_target(row),
        realization=Decimal(value),
        cap=cap,
    )


def mark_sent(collection, *, final=True, sent=True):
    """A recap row as the services leave it (documents are placeholders here: the
    services' own tests cover generating them)."""
    document = Document.objects.create(agency=collection.agency, kind="lainnya", title="Rekap")
    return Recap.objects.create(
        collection=collection,
        number=Recap.objects.filter(collection=collection).count() + 1,
        is_final=final,
        pdf=document,
        workbook=document,
        sent_at=timezone.now() if sent else None,
    )


class TestFigures:
    def test_each_row_holds_target_realisation_and_the_engines_capaian(self, rw, collection):
        fill(rw, collection)

        table = recap_build(scope=rw.kasubbag, collection=collection)

        found = rows_by_code(table)
        scale = engine.DEFAULT_RATING_SCALE
        for name, value in VALUES.items():
            item = indicator_of(rw, name)
            unit, row = found[item.code]
            expected = expected_achievement(collection, item, value)
            assert unit.unit == item.responsible_unit
            assert row.value == Decimal(value)
            assert row.target == row_target(row_of(collection, item))
            assert row.achievement == expected
            assert row.rating == scale.rate(expected.rounded())

    def test_targets_are_the_periods_including_ranges(self, rw, collection):
        table = recap_build(scope=rw.kasubbag, collection=collection)

        found = rows_by_code(table)
        assert found[rw.world.cumulative.code][1].target == Decimal(20)  # TW II alone
        assert found[rw.world.last_value.code][1].target == Decimal(40)
        assert found[rw.ranged.code][1].target == engine.TargetRange(Decimal(3), Decimal(5))
        assert found[rw.lower.code][1].target == Decimal(8)
        assert found[rw.world.bidang_b.code][1].target is None

    def test_a_row_without_target_or_value_says_why(self, rw, collection):
        fill(rw, collection)
        enter(rw.holder, collection, rw.world.last_value, None)

        found = rows_by_code(recap_build(scope=rw.kasubbag, collection=collection))

        no_target = found[rw.world.bidang_b.code][1]
        no_value = found[rw.world.last_value.code][1]
        assert no_target.achievement.status == engine.AchievementStatus.NO_TARGET
        assert no_value.achievement.status == engine.AchievementStatus.NO_REALIZATION
        assert no_target.rating is None and no_target.reason == "no target for this period"
        assert no_value.reason == "no realisation yet"

    def test_texts_numbers_data_holder_and_status_come_from_the_current_entry(self, rw, collection):
        fill(rw, collection)
        enter(
            rw.holder,
            collection,
            rw.world.cumulative,
            "22",
            numerator="22",
            denominator="100",
            analysis="Dikoreksi",
            obstacles="Data terlambat",
            follow_up="Pendampingan",
        )

        unit, row = rows_by_code(recap_build(scope=rw.kasubbag, collection=collection))[
            rw.world.cumulative.code
        ]

        assert (row.value, row.numerator, row.denominator) == (
            Decimal(22),
            Decimal(22),
            Decimal(100),
        )
        assert (row.analysis, row.obstacles, row.follow_up) == (
            "Dikoreksi",
            "Data terlambat",
            "Pendampingan",
        )
        assert row.achievement == expected_achievement(collection, rw.world.cumulative, "22")
        assert row.data_holder == rw.world.data_holder
        assert unit.status == Worksheet.Status.DRAFT and unit.status_label == "Draft"

    def test_counts_per_rating_per_unit_and_overall(self, rw, collection):
        fill(rw, collection)

        table = recap_build(scope=rw.kasubbag, collection=collection)

        labels = [band.label for band in table.scale.bands]
        overall = dict.fromkeys(labels, 0)
        for unit in table.units:
            expected = dict.fromkeys(labels, 0)
            for row in unit.rows:
                if row.rating:
                    expected[row.rating] += 1
                    overall[row.rating] += 1
            assert {count.label: count.count for count in unit.rating_counts} == expected
            assert unit.not_computable == sum(1 for r in unit.rows if not r.achievement.computable)
        assert {count.label: count.count for count in table.rating_counts} == overall
        assert table.not_computable == 1  # Bidang B's indicator has no TW II target
        assert table.indicator_count == len(VALUES)

    def test_the_governments_scale_and_the_agencys_cap_apply(self, rw, collection):
        RatingScale.objects.create(
            government=rw.agency.government,
            year=YEAR,
            bands=[{"min": "100", "label": "Tercapai"}, {"min": "0", "label": "Belum"}],
        )
        rw.agency.achievement_cap = Decimal(110)
        rw.agency.save(update_fields=["achievement_cap"])
        fill(rw, collection)

        _unit, row = rows_by_code(recap_build(scope=rw.kasubbag, collection=collection))[
            rw.world.cumulative.code
        ]

        uncapped = expected_achievement(collection, rw.world.cumulative, VALUES["cumulative"])
        capped = expected_achievement(
            collection, rw.world.cumulative, VALUES["cumulative"], cap=Decimal(110)
        )
        assert uncapped.value > Decimal(110)
        assert row.achievement == capped
        assert row.rating == "Tercapai"

    def test_matches_the_capaian_page_once_approved(self, rw, collection):
        fill(rw, collection)
        approve_all(rw, collection)

        table = recap_build(scope=rw.kasubbag, collection=collection)
        capaian = achievement_table(
            scope=rw.kasubbag, agency=rw.agency, year=YEAR, period=PERIOD_PARAMS["tw2"]
        )

        page = {row.indicator.code: row for group in capaian.objectives for row in group.indicators}
        for code, (_unit, row) in rows_by_code(table).items():
            assert row.achievement == page[code].achievement, code
            assert row.rating == page[code].rating
        assert table.is_final

    def test_not_final_while_a_worksheet_awaits_approval(self, rw, collection):
        fill(rw, collection)

        assert not recap_build(scope=rw.kasubbag, collection=collection).is_final

    @pytest.mark.parametrize("period", ["s1", "annual"])
    def test_a_longer_period_measures_its_own_figure(self, rw, period):
        collection = open_collection(rw, period=period)
        enter(rw.holder, collection, rw.world.last_value, "60")

        _unit, row = rows_by_code(recap_build(scope=rw.kasubbag, collection=collection))[
            rw.world.last_value.code
        ]

        assert row.achievement == expected_achievement(collection, rw.world.last_value, "60")


class TestQueries:
    @pytest.mark.parametrize("extra", [0, 24])
    def test_constant_whatever_the_size(self, agency, extra, django_assert_num_queries):
        rw = recap_world(agency, extra_indicators=extra)
        collection = open_collection(rw)
        fill(rw, collection)
        scope = rw.kasubbag

        with django_assert_num_queries(5):
            table = recap_build(scope=scope, collection=collection)

        assert table.indicator_count == len(VALUES) + extra

    @pytest.mark.parametrize("extra", [0, 24])
    def test_constant_for_a_coordinating_agency(self, agency, extra, django_assert_num_queries):
        rw = recap_world(agency, extra_indicators=extra)
        collection = open_collection(rw)
        fill(rw, collection)
        approve_all(rw, collection)
        mark_sent(collection)
        scope = scope_for(coordinating_staff(agency))

        with django_assert_num_queries(8):
            table = recap_build(scope=scope, collection=collection)

        assert table.indicator_count == len(VALUES) + extra


class TestAccess:
    @pytest.mark.parametrize(
        "role",
        [
            RoleKey.KEPALA_DINAS,
            RoleKey.SEKRETARIS,
            RoleKey.KASUBBAG_PROGRAM,
            RoleKey.FUNGSIONAL_UMUM,
        ],
    )
    def test_the_agencys_planners_and_reviewers_see_it(self, rw, collection, role):
        member = scope_for(staff(agency=rw.agency, role_key=role))

        assert recap_build(scope=member, collection=collection).units
        assert recap_collection_get(scope=member, collection_id=collection.pk).internal

    def test_superusers_and_the_governments_administrators_see_it(self, rw, collection):
        admin = UserFactory(administered_government=rw.agency.government)
        superuser = UserFactory(is_superuser=True)

        for user in (admin, superuser):
            assert recap_build(scope=scope_for(user), collection=collection).units

    @pytest.mark.parametrize("role", [RoleKey.STAF, RoleKey.PEMEGANG_DATA, RoleKey.KEPALA_BIDANG])
    def test_the_agencys_other_staff_do_not(self, rw, collection, role):
        fill(rw, collection)
        member = scope_for(staff(agency=rw.agency, role_key=role, unit=rw.world.units[0]))

        with pytest.raises(NotFound):
            recap_build(scope=member, collection=collection)
        with pytest.raises(NotFound):
            recap_collection_get(scope=member, collection_id=collection.pk)

    def test_a_units_data_holder_and_head_do_not(self, rw, collection):
        fill(rw, collection)

        for member in (rw.holder, rw.head(0), rw.head(1)):
            with pytest.raises(NotFound):
                recap_build(scope=member, collection=collection)

    def test_a_coordinating_agencys_own_staff_do_not_receive_its_recap(self, rw, collection):
        rw.agency.is_coordinating = True
        rw.agency.save(update_fields=["is_coordinating"])
        fill(rw, collection)
        approve_all(rw, collection)
        mark_sent(collection)
        member = scope_for(staff(agency=rw.agency, role_key=RoleKey.STAF))

        with pytest.raises(NotFound):
            recap_build(scope=member, collection=collection)
        assert not received_recaps(scope=member).exists()
        assert not received_recaps(scope=rw.kasubbag).exists()  # sent, not received
        assert recap_collection_get(scope=rw.kasubbag, collection_id=collection.pk).internal

    def test_another_agency_does_not(self, rw, collection, other_agency):
        outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        with pytest.raises(NotFound):
            recap_build(scope=outsider, collection=collection)

    def test_a_non_coordinating_agency_of_the_same_government_does_not(self, rw, collection):
        fill(rw, collection)
        approve_all(rw, collection)
        mark_sent(collection)
        neighbour = AgencyFactory(government=rw.agency.government)
        scope = scope_for(staff(agency=neighbour, role_key=RoleKey.KEPALA_DINAS))

        with pytest.raises(NotFound):
            recap_build(scope=scope, collection=collection)
        assert not received_recaps(scope=scope).exists()

    def test_a_coordinating_agency_sees_it_once_a_final_recap_is_sent(self, rw, collection):
        fill(rw, collection)
        approve_all(rw, collection)
        scope = scope_for(coordinating_staff(rw.agency))

        with pytest.raises(NotFound):  # nothing sent yet
            recap_build(scope=scope, collection=collection)
        mark_sent(collection, sent=False)
        with pytest.raises(NotFound):  # generated, not sent
            recap_build(scope=scope, collection=collection)
        recap = mark_sent(collection)

        assert recap_build(scope=scope, collection=collection).is_final
        assert not recap_collection_get(scope=scope, collection_id=collection.pk).internal
        assert list(received_recaps(scope=scope)) == [recap]

    def test_a_sent_recap_that_is_not_final_shows_nothing(self, rw, collection):
        fill(rw, collection)
        mark_sent(collection, final=False)
        scope = scope_for(coordinating_staff(rw.agency))

        with pytest.raises(NotFound):
            recap_build(scope=scope, collection=collection)
        assert not received_recaps(scope=scope).exists()

    def test_a_coordinating_agency_of_another_government_does_not(
        self, rw, collection, other_agency
    ):
        fill(rw, collection)
        approve_all(rw, collection)
        mark_sent(collection)
        scope = scope_for(coordinating_staff(other_agency))

        with pytest.raises(NotFound):
            recap_build(scope=scope, collection=collection)
        assert not received_recaps(scope=scope).exists()

    def test_data_being_corrected_again_is_withheld_from_coordinating_agencies(
        self, rw, collection
    ):
        fill(rw, collection)
        approve_all(rw, collection)
        mark_sent(collection)
        Worksheet.objects.filter(collection=collection).update(status=Worksheet.Status.ACCEPTED)
        scope = scope_for(coordinating_staff(rw.agency))

        with pytest.raises(NotFound):
            recap_build(scope=scope, collection=collection)
        assert recap_collection_get(scope=scope, collection_id=collection.pk)
        assert recap_build(scope=rw.kasubbag, collection=collection)  # the agency still does

    def test_after_a_reopening_a_coordinating_agency_sees_the_table_only_once_sent_again(
        self, rw, collection
    ):
        fill(rw, collection)
        approve_all(rw, collection)
        mark_sent(collection)
        scope = scope_for(coordinating_staff(rw.agency))
        assert recap_build(scope=scope, collection=collection).is_final
        reopen_and_approve(rw, collection)

        assert recap_build(scope=rw.kasubbag, collection=collection).is_final
        with pytest.raises(NotFound):  # approved again, but not what was sent
            recap_build(scope=scope, collection=collection)
        assert not recap_collection_get(scope=scope, collection_id=collection.pk).internal
        mark_sent(collection)

        assert recap_build(scope=scope, collection=collection).is_final


class TestAgencyHead:
    def test_the_kepala_dinas_signs(self, rw):
        head = agency_head(agency=rw.agency)
        kadis = rw.world.small.kadis

        assert (head.name, head.nip) == (kadis.name, kadis.nip)
        assert head.title == rw.world.small.positions["kadis"].title

    def test_an_acting_head_signs_as_plh(self, rw):
        position = rw.world.small.positions["kadis"]
        acting = AssignmentFactory(position=position, kind=Assignment.Kind.PLH)

        head = agency_head(agency=rw.agency)

        assert head.name == acting.employee.name
        assert head.title == f"Plh. {position.title}"

    def test_nobody_without_a_head(self, agency):
        assert agency_head(agency=agency) is None


class TestExports:
    def test_the_workbook_holds_every_row_as_real_numbers(self, rw, collection):
        fill(rw, collection)
        table = recap_build(scope=rw.kasubbag, collection=collection)

        book = openpyxl.load_workbook(io.BytesIO(recap_xlsx(table)))

        sheet = book.worksheets[0]
        cells = [[cell.value for cell in line] for line in sheet.iter_rows()]
        assert cells[1][3] == rw.agency.name
        assert cells[3][3] == YEAR
        by_code = {line[2]: line for line in cells if line[2] in rows_by_code(table)}
        assert set(by_code) == set(rows_by_code(table))
        for code, (unit, row) in rows_by_code(table).items():
            line = by_code[code]
            assert line[1] == unit.unit.name
            assert line[3] == row.indicator.name
            assert line[8] == row.value
            if row.achievement.computable:
                assert line[11] == pytest.approx(float(row.achievement.rounded()))
                assert line[12] == row.rating
            else:
                assert line[11].startswith(engine.NOT_COMPUTABLE_TEXT)
        ranged = by_code[rw.ranged.code]
        assert (ranged[5], ranged[6], ranged[7]) == (None, 3, 5)
        summary = [[cell.value for cell in line] for line in book.worksheets[1].iter_rows()]
        assert summary[-1][-1] == table.indicator_count

    def test_texts_stay_texts_without_control_characters(self, rw, collection):
        fill(rw, collection)
        enter(
            rw.holder,
            collection,
            rw.world.cumulative,
            "25",
            analysis='=HYPERLINK("http://contoh.test","klik")',
            obstacles="Banjir\x0bbesar\x07 di wilayah",
            follow_up="+62 koordinasi",
        )
        enter(
            rw.holder, collection, rw.world.last_value, "30", analysis="-5 unit", obstacles="@rapat"
        )
        table = recap_build(scope=rw.kasubbag, collection=collection)

        sheet = openpyxl.load_workbook(io.BytesIO(recap_xlsx(table))).worksheets[0]

        lines = {line[2].value: line for line in sheet.iter_rows() if line[2].value}
        cumulative = lines[rw.world.cumulative.code]
        last_value = lines[rw.world.last_value.code]
        texts = [cumulative[13], cumulative[14], cumulative[15], last_value[13], last_value[14]]
        assert [cell.value for cell in texts] == [
            '=HYPERLINK("http://contoh.test","klik")',
            "Banjirbesar di wilayah",
            "+62 koordinasi",
            "-5 unit",
            "@rapat",
        ]
        assert all(cell.data_type == "s" for cell in texts)

    def test_workbook_numbers_carry_a_number_format(self, rw, collection):
        enter(rw.holder, collection, rw.world.cumulative, "1234.5")
        table = recap_build(scope=rw.kasubbag, collection=collection)

        sheet = openpyxl.load_workbook(io.BytesIO(recap_xlsx(table))).worksheets[0]

        cell = next(c for line in sheet.iter_rows() for c in line if c.value == 1234.5)
        assert cell.number_format == "#,##0.0"

    @pytest.mark.parametrize(
        ("value", "code"),
        [("85", "#,##0"), ("85.50", "#,##0.0"), ("1.2345", "#,##0.0000"), ("120.000", "#,##0")],
    )
    def test_number_format_shows_the_decimals_the_value_has(self, value, code):
        assert number_format(Decimal(value)) == code

    def test_the_pdf_is_a_pdf(self, rw, collection):
        fill(rw, collection)
        table = recap_build(scope=rw.kasubbag, collection=collection)

        content = recap_pdf(table, signatory=agency_head(agency=rw.agency), paper="a4")

        assert content.startswith(b"%PDF")
        assert content != sample_pdf()

    def test_the_document_shows_indonesian_numbers_rows_and_the_signatory(self, rw, collection):
        fill(rw, collection)
        enter(rw.holder, collection, rw.world.last_value, "1234.5", analysis="Lonjakan")
        table = recap_build(scope=rw.kasubbag, collection=collection)
        head = agency_head(agency=rw.agency)

        html = recap_html(table, signatory=head)

        assert format_number(Decimal("1234.5")) in html  # "1.234,5"
        _unit, row = rows_by_code(table)[rw.world.cumulative.code]
        assert row.achievement.display() in html  # "125,00%"
        for unit in table.units:
            assert unit.unit.name in html
            for item in unit.rows:
                assert item.indicator.name in html
        assert head.name in html
        assert "330mm 215mm" in html  # F4 landscape by default
