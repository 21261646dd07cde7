"""Planning pages: who sees and changes what, Rencana Aksi inline editing, the PK document."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kinerja.planning import services
from kinerja.planning.models import (
    AnnualTarget,
    PerformanceAgreement,
    QuarterlyTarget,
)
from kinerja.planning.urls import urlpatterns
from tests.factories import IndicatorFactory, staff
from tests.planning.world import (
    GOVERNOR,
    YEAR,
    IndividualIndicatorFactory,
    build_world,
    draft_agreement,
    fill_quarters,
    head_agreement,
    signed_agreement,
)

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency):
    return build_world(agency)


@pytest.fixture
def objects(world):
    """A signed PK (Kepala Bidang Koperasi), a draft PK with a line (Kepala Bidang UMKM), an IKI."""
    signed = signed_agreement(world)
    draft = draft_agreement(
        world, position=world.other_unit_head_position, lines={world.last_value: D("80")}
    )
    iki = IndividualIndicatorFactory(
        employee=world.staff_member,
        position=world.staff_position,
        parent_line=signed.lines.get(indicator=world.cumulative),
    )
    return {"signed": signed, "draft": draft, "line": draft.lines.get(), "iki": iki}


def indonesian(msgid):
    """What a page shows for `msgid` (pages render in the default language, Indonesian)."""
    with translation.override("id"):
        return gettext(msgid)


def catalogue(world, objects):
    """Every planning URL: (name, method, path, post data, writes?)."""
    agency_query = f"?agency={world.agency.pk}&year={YEAR}"
    indicator = world.cumulative.pk
    signed, draft, line, iki = (objects[k].pk for k in ("signed", "draft", "line", "iki"))

    def url(name, *args, query=""):
        return reverse(f"planning:{name}", args=args) + query

    return [
        ("indicator_list", "get", url("indicator_list", query=agency_query), None, False),
        ("indicator_create", "get", url("indicator_create", query=agency_query), None, True),
        ("indicator_create", "post", url("indicator_create", query=agency_query), {}, True),
        ("indicator_detail", "get", url("indicator_detail", indicator), None, False),
        ("indicator_update", "get", url("indicator_update", indicator), None, True),
        ("indicator_update", "post", url("indicator_update", indicator), {}, True),
        (
            "annual_target_set",
            "post",
            url("annual_target_set", indicator),
            {"year": "2025", "value": "5"},
            True,
        ),
        ("agreement_list", "get", url("agreement_list", query=agency_query), None, False),
        ("agreement_create", "get", url("agreement_create", query=agency_query), None, True),
        ("agreement_create", "post", url("agreement_create", query=agency_query), {}, True),
        ("agreement_detail", "get", url("agreement_detail", signed), None, False),
        ("agreement_line_add", "get", url("agreement_line_add", draft), None, True),
        ("agreement_line_add", "post", url("agreement_line_add", draft), {}, True),
        ("agreement_line_update", "get", url("agreement_line_update", line), None, True),
        ("agreement_line_update", "post", url("agreement_line_update", line), {"value": "1"}, True),
        ("agreement_program_add", "get", url("agreement_program_add", draft), None, True),
        (
            "agreement_program_add",
            "post",
            url("agreement_program_add", draft),
            {"name": "P", "budget": "1"},
            True,
        ),
        ("agreement_sign", "post", url("agreement_sign", draft), {}, True),
        ("agreement_revise", "get", url("agreement_revise", signed), None, True),
        ("agreement_revise", "post", url("agreement_revise", signed), {}, True),
        ("agreement_print", "get", url("agreement_print", signed), None, False),
        ("agreement_pdf", "get", url("agreement_pdf", signed), None, False),
        ("quarterly_target_cell", "get", url("quarterly_target_cell", line, 1), None, True),
        (
            "quarterly_target_cell",
            "post",
            url("quarterly_target_cell", line, 1),
            {"value": "1"},
            True,
        ),
        (
            "individual_indicator_list",
            "get",
            url("individual_indicator_list", query=agency_query),
            None,
            False,
        ),
        (
            "individual_indicator_create",
            "get",
            url("individual_indicator_create", query=agency_query),
            None,
            True,
        ),
        (
            "individual_indicator_create",
            "post",
            url("individual_indicator_create", query=agency_query),
            {},
            True,
        ),
        ("individual_indicator_update", "get", url("individual_indicator_update", iki), None, True),
        ("individual_indicator_update", "post", url("individual_indicator_update", iki), {}, True),
    ]


def call(client, method, path, data):
    return client.get(path) if method == "get" else client.post(path, data or {})


def test_the_catalogue_covers_every_planning_url(world, objects):
    assert {entry[0] for entry in catalogue(world, objects)} == {p.name for p in urlpatterns}


def test_a_user_of_another_agency_gets_404_on_every_url(world, objects, client, other_agency):
    outsider = staff(agency=other_agency, role_key="kasubbag_program")
    client.force_login(outsider)
    for name, method, path, data, _writes in catalogue(world, objects):
        response = call(client, method, path, data)
        assert response.status_code == 404, (name, method, response.status_code)
    assert PerformanceAgreement.objects.count() == 2


def test_a_read_only_unit_user_reads_everything_and_gets_403_with_a_reason_on_every_write(
    world, objects, client
):
    client.force_login(world.reader)
    quarterly_before = list(QuarterlyTarget.objects.values_list("pk", "value"))
    for name, method, path, data, writes in catalogue(world, objects):
        response = call(client, method, path, data)
        if writes:
            assert response.status_code == 403, (name, method, response.status_code)
            assert b'data-testid="access-denied"' in response.content, name
        else:
            assert response.status_code == 200, (name, method, response.status_code)
    assert list(QuarterlyTarget.objects.values_list("pk", "value")) == quarterly_before
    assert not AnnualTarget.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(world, objects, client):
    for name, method, path, data, _writes in catalogue(world, objects):
        response = call(client, method, path, data)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name


class TestIndicatorPages:
    def test_the_list_groups_indicators_by_objective_with_targets(self, world, client):
        AnnualTarget.objects.create(indicator=world.last_value, year=YEAR, value=D("82.5"))
        signed_agreement(world)
        client.force_login(world.reader)

        response = client.get(reverse("planning:indicator_list"), {"year": YEAR})

        html = response.content.decode()
        assert response.status_code == 200
        assert "Meningkatnya koperasi sehat" in html
        assert html.index("IK1") < html.index("IK2") < html.index("IK3")
        assert "82,5" in html and indonesian("New indicator") not in html

    def test_a_planner_creates_an_indicator_through_the_form(self, world, client):
        client.force_login(world.planner)
        response = client.post(
            reverse("planning:indicator_create") + f"?agency={world.agency.pk}&year={YEAR}",
            {
                "objective": world.objective.pk,
                "code": "IK7",
                "name": "Jumlah koperasi baru",
                "unit_of_measure": "koperasi",
                "polarity": "higher",
                "aggregation": "cumulative",
                "baseline": "1.234,5",
                "sort_order": "7",
            },
        )
        assert response.status_code == 302
        indicator = world.objective.indicators.get(code="IK7")
        assert indicator.baseline == D("1234.5")

    def test_the_form_shows_the_service_error_on_the_field(self, world, client):
        client.force_login(world.planner)
        response = client.post(
            reverse("planning:indicator_create") + f"?agency={world.agency.pk}",
            {
                "objective": world.objective.pk,
                "code": "IK1",
                "name": "Duplikat",
                "unit_of_measure": "x",
                "polarity": "higher",
                "aggregation": "last",
                "sort_order": "0",
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["code"]

    def test_a_target_typed_the_indonesian_way_is_saved(self, world, client):
        client.force_login(world.planner)
        response = client.post(
            reverse("planning:annual_target_set", args=[world.cumulative.pk]),
            {"year": "2025", "value": "1.234,5"},
        )
        assert response.status_code == 302
        assert AnnualTarget.objects.get(indicator=world.cumulative, year=YEAR).value == D("1234.5")

    def test_a_badly_typed_target_is_explained_and_not_saved(self, world, client):
        client.force_login(world.planner)
        response = client.post(
            reverse("planning:annual_target_set", args=[world.cumulative.pk]),
            {"year": "2025", "value": "12,3,4"},
        )
        assert response.status_code == 200
        assert response.context["target_form"].errors["value"]
        assert not AnnualTarget.objects.exists()


class TestAgreementPages:
    def test_the_list_shows_the_newest_version_of_each_pk(self, world, client):
        signed = signed_agreement(world)
        services.agreement_revise(
            actor=world.planner_scope,
            agreement=signed,
            effective_date=datetime.date(YEAR, 7, 1),
            reason="Refocusing",
        )
        client.force_login(world.reader)

        response = client.get(reverse("planning:agreement_list"), {"year": YEAR})

        rows = response.content.decode().split('data-testid="agreement-row"')[1:]
        assert len(rows) == 1 and "Perubahan 1" in rows[0]
        assert "Ahmad Yani, S.Sos" in rows[0]

    def test_create_then_add_a_line_and_a_programme(self, world, client):
        client.force_login(world.planner)
        response = client.post(
            reverse("planning:agreement_create") + f"?agency={world.agency.pk}&year={YEAR}",
            {
                "position": world.unit_head_position.pk,
                "effective_date": "2025-01-02",
                "place": "Palu",
            },
        )
        agreement = PerformanceAgreement.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"/{agreement.pk}/")

        client.post(
            reverse("planning:agreement_line_add", args=[agreement.pk]),
            {"indicator": world.cumulative.pk, "value": "1.200"},
        )
        client.post(
            reverse("planning:agreement_program_add", args=[agreement.pk]),
            {"name": "Program Pemberdayaan", "budget": "1.250.000.000"},
        )

        assert agreement.lines.get().value == D("1200")
        assert agreement.programs.get().budget == D("1250000000")
        html = client.get(
            reverse("planning:agreement_detail", args=[agreement.pk])
        ).content.decode()
        assert "Rp 1.250.000.000" in html and "1.200" in html

    def test_the_detail_shows_each_lines_consistency_problem(self, world, client):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        fill_quarters(world, agreement.lines.get(), ["10", "20", "30", "30"])
        client.force_login(world.unit_head.user)

        response = client.get(reverse("planning:agreement_detail", args=[agreement.pk]))

        row = response.content.decode().split('data-testid="ra-problems"')[1]
        assert "90" in row.split("</td>")[0] and "100" in row.split("</td>")[0]
        assert 'hx-get="' in response.content.decode()

    def test_signing_an_inconsistent_pk_lists_the_problem_and_keeps_the_draft(self, world, client):
        agreement = draft_agreement(world, lines={world.last_value: D("80")})
        fill_quarters(world, agreement.lines.get(), ["20", "40", "60", "70"])
        client.force_login(world.planner)

        response = client.post(reverse("planning:agreement_sign", args=[agreement.pk]), follow=True)

        messages = [str(m) for m in response.context["messages"]]
        assert any("IK2" in m and "TW IV" in m for m in messages)
        agreement.refresh_from_db()
        assert agreement.status == "draft"

    def test_a_signed_pk_shows_no_editing_and_refuses_a_cell(self, world, client):
        agreement = signed_agreement(world)
        line = agreement.lines.first()
        client.force_login(world.planner)

        html = client.get(
            reverse("planning:agreement_detail", args=[agreement.pk])
        ).content.decode()
        response = client.post(
            reverse("planning:quarterly_target_cell", args=[line.pk, 1]),
            {"value": "1"},
            follow=True,
        )

        assert "hx-get" not in html and 'data-testid="agreement-sign-form"' not in html
        assert response.redirect_chain and response.status_code == 200
        assert QuarterlyTarget.objects.get(line=line, quarter=1).value == D("10")

    def test_revise_keeps_the_old_version_readable_with_a_link_to_the_new(self, world, client):
        old = signed_agreement(world)
        client.force_login(world.planner)

        response = client.post(
            reverse("planning:agreement_revise", args=[old.pk]),
            {"effective_date": "2025-07-01", "reason": "Refocusing anggaran"},
        )

        new = PerformanceAgreement.objects.get(version=2)
        assert response["Location"].endswith(f"/{new.pk}/")
        old_page = client.get(reverse("planning:agreement_detail", args=[old.pk])).content.decode()
        assert reverse("planning:agreement_detail", args=[new.pk]) in old_page
        assert (
            indonesian("A newer version exists; this version is kept for the record.") in old_page
        )
        new_page = client.get(reverse("planning:agreement_detail", args=[new.pk])).content.decode()
        assert "Refocusing anggaran" in new_page

    def test_a_revision_without_reason_shows_the_field_error(self, world, client):
        old = signed_agreement(world)
        client.force_login(world.planner)
        response = client.post(
            reverse("planning:agreement_revise", args=[old.pk]),
            {"effective_date": "2025-01-01", "reason": "  "},
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) >= {"reason"}
        assert PerformanceAgreement.objects.count() == 1


class TestExternalSecondParty:
    """The Gubernur/Bupati/Wali Kota as second party of the head of agency's PK."""

    def create_url(self, world):
        return reverse("planning:agreement_create") + f"?agency={world.agency.pk}&year={YEAR}"

    def test_the_head_of_agency_pk_is_drafted_with_the_regional_head(self, world, client):
        client.force_login(world.planner)

        response = client.post(
            self.create_url(world),
            {
                "position": world.head_position.pk,
                "effective_date": "2025-01-02",
                "superior_title": "Gubernur Sulawesi Tengah",
                "superior_name": GOVERNOR.name,
                "superior_nip": "19650817 199003 1 004",
            },
        )

        agreement = PerformanceAgreement.objects.get()
        assert response.status_code == 302
        assert (agreement.superior_name, agreement.superior_nip) == (
            GOVERNOR.name,
            "196508171990031004",
        )
        html = client.get(response["Location"]).content.decode()
        parties = html.split('data-testid="agreement-parties"')[1].split("</table>")[0]
        assert GOVERNOR.name in parties and "19650817 199003 1 004" in parties
        assert "Gubernur Sulawesi Tengah" in parties

    def test_a_regional_head_for_a_position_with_a_superior_is_a_field_error(self, world, client):
        client.force_login(world.planner)

        response = client.post(
            self.create_url(world),
            {
                "position": world.unit_head_position.pk,
                "effective_date": "2025-01-02",
                "superior_title": "Gubernur Sulawesi Tengah",
                "superior_name": GOVERNOR.name,
            },
        )

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["superior_name"]
        assert not PerformanceAgreement.objects.exists()

    def test_a_wrong_nip_is_shown_at_its_field(self, world, client):
        client.force_login(world.planner)

        response = client.post(
            self.create_url(world),
            {
                "position": world.head_position.pk,
                "effective_date": "2025-01-02",
                "superior_title": "Gubernur Sulawesi Tengah",
                "superior_name": GOVERNOR.name,
                "superior_nip": "1965",
            },
        )

        assert (
            indonesian("A NIP has exactly 18 digits.")
            in response.context["form"].errors["superior_nip"]
        )
        assert not PerformanceAgreement.objects.exists()

    def test_the_revise_form_carries_the_regional_head_over(self, world, client):
        old = head_agreement(world)
        client.force_login(world.planner)
        url = reverse("planning:agreement_revise", args=[old.pk])

        form = client.get(url).context["form"]
        response = client.post(
            url,
            {
                "effective_date": "2025-07-01",
                "reason": "Pelantikan gubernur baru",
                "superior_title": "Gubernur Sulawesi Tengah",
                "superior_name": "Dr. Ir. Hamdan Latjuba, M.T.",
            },
        )

        assert form.initial["superior_name"] == GOVERNOR.name
        assert response.status_code == 302
        new = PerformanceAgreement.objects.get(version=2)
        assert new.superior_name == "Dr. Ir. Hamdan Latjuba, M.T."

    def test_the_revise_form_of_a_pk_with_a_superior_has_no_external_fields(self, world, client):
        old = signed_agreement(world)
        client.force_login(world.planner)

        form = client.get(reverse("planning:agreement_revise", args=[old.pk])).context["form"]

        assert "superior_name" not in form.fields

    def test_the_detail_says_when_the_pk_was_signed_in_local_time(self, world, client):
        # 23:30 UTC is already the next day in Indonesia (WIB, WITA and WIT alike).
        with time_machine.travel(datetime.datetime(2025, 1, 26, 23, 30, tzinfo=datetime.UTC)):
            signed = signed_agreement(world)
        draft = draft_agreement(world, position=world.other_unit_head_position)
        client.force_login(world.reader)

        signed_page = client.get(reverse("planning:agreement_detail", args=[signed.pk]))
        draft_page = client.get(reverse("planning:agreement_detail", args=[draft.pk]))

        expected = indonesian("signed on %(day)s") % {"day": "27 Januari 2025"}
        assert expected in signed_page.content.decode()
        assert 'data-testid="agreement-signed-at"' not in draft_page.content.decode()


class TestRencanaAksiInlineEditing:
    @pytest.fixture
    def line(self, world):
        return draft_agreement(world, lines={world.cumulative: D("5000")}).lines.get()

    def url(self, line, quarter):
        return reverse("planning:quarterly_target_cell", args=[line.pk, quarter])

    def test_get_turns_the_cell_into_an_input(self, world, client, line):
        client.force_login(world.unit_head.user)
        response = client.get(self.url(line, 2), **HTMX)

        html = response.content.decode()
        assert html.lstrip().startswith(f'<td id="ra-{line.pk}-2"')
        assert 'name="value"' in html and "autofocus" in html

    def test_an_indonesian_number_is_saved_and_shown_the_indonesian_way(self, world, client, line):
        client.force_login(world.unit_head.user)

        response = client.post(self.url(line, 1), {"value": "1.234,5", "seen_value": ""}, **HTMX)

        assert QuarterlyTarget.objects.get(line=line, quarter=1).value == D("1234.5")
        html = response.content.decode()
        assert html.lstrip().startswith(f'<tr id="ra-row-{line.pk}"')
        assert "1.234,5" in html
        assert "TW II, TW III, TW IV" in html  # the line's consistency, next to the cell

    def test_the_row_says_when_the_line_becomes_consistent(self, world, client, line):
        fill_quarters(world, line, ["1000", "1000", "1000", "1000"])
        client.force_login(world.unit_head.user)

        response = client.post(self.url(line, 4), {"value": "2.000", "seen_value": "1000"}, **HTMX)

        assert 'data-testid="ra-consistent"' in response.content.decode()

    def test_a_bad_number_shows_the_error_in_the_cell_and_saves_nothing(self, world, client, line):
        client.force_login(world.unit_head.user)

        response = client.post(self.url(line, 1), {"value": "sepuluh"}, **HTMX)

        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="ra-cell-error"' in html and 'value="sepuluh"' in html
        assert not QuarterlyTarget.objects.exists()

    def test_a_concurrent_edit_is_a_clear_conflict_message(self, world, client, line):
        services.quarterly_target_set(
            actor=world.planner_scope, line=line, quarter=1, value=D("10")
        )
        client.force_login(world.unit_head.user)
        page = client.get(self.url(line, 1), **HTMX).content.decode()
        assert 'name="seen_value" value="10.0000"' in page
        # meanwhile the planner changes it
        services.quarterly_target_set(
            actor=world.planner_scope, line=line, quarter=1, value=D("15")
        )

        response = client.post(self.url(line, 1), {"value": "12", "seen_value": "10.0000"}, **HTMX)

        html = response.content.decode()
        with translation.override("id"):
            expected = gettext(
                "Someone else has just changed the %(quarter)s target to %(value)s. "
                "Check it and enter your value again."
            ) % {"quarter": "TW I", "value": "15"}
        assert expected in html
        assert 'value="12"' in html and 'name="seen_value" value="15.0000"' in html
        assert QuarterlyTarget.objects.get(line=line, quarter=1).value == D("15")

        # Saving again now overwrites knowingly.
        client.post(self.url(line, 1), {"value": "12", "seen_value": "15.0000"}, **HTMX)
        assert QuarterlyTarget.objects.get(line=line, quarter=1).value == D("12")

    def test_a_range_line_is_edited_with_two_bounds(self, world, client):
        line = services.agreement_line_add(
            actor=world.planner_scope,
            agreement=draft_agreement(world),
            indicator=world.ranged,
            low=D("2"),
            high=D("5"),
        )
        client.force_login(world.planner)

        response = client.post(self.url(line, 4), {"low": "2", "high": "5,5"}, **HTMX)

        cell = QuarterlyTarget.objects.get(line=line, quarter=4)
        assert (cell.low, cell.high) == (D("2"), D("5.5"))
        assert "2–5,5" in response.content.decode()

    def test_without_htmx_the_post_redirects_to_the_pk(self, world, client, line):
        client.force_login(world.unit_head.user)
        response = client.post(self.url(line, 1), {"value": "7"})
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "planning:agreement_detail", args=[line.agreement_id]
        )
        assert QuarterlyTarget.objects.get(line=line, quarter=1).value == D("7")


class TestPrintedAgreement:
    def test_the_print_page_has_statement_annex_names_nip_and_budget(self, world, client):
        agreement = signed_agreement(world)
        client.force_login(world.reader)

        response = client.get(
            reverse("planning:agreement_print", args=[agreement.pk]), {"paper": "a4"}
        )

        html = response.content.decode()
        assert "size: A4" in html
        assert 'data-testid="pk-statement"' in html and 'data-testid="pk-annex"' in html
        assert "Ahmad Yani, S.Sos" in html and "Dr. Ir. Siti Aminah, M.Si" in html
        assert "19820303 200801 1 003" in html and "19770415 200501 2 001" in html
        assert "Rp 1.250.000.000" in html
        assert "Jumlah koperasi yang dibina" in html and "Meningkatnya koperasi sehat" in html
        with translation.override("id"):
            title = gettext("PERFORMANCE AGREEMENT %(year)s") % {"year": YEAR}
        assert title in html

    def test_the_heads_pk_prints_the_regional_head_instead_of_dotted_lines(self, world, client):
        party = services.ExternalParty(
            name=GOVERNOR.name, title=GOVERNOR.title, nip="196508171990031004"
        )
        agreement = head_agreement(world, party=party)
        client.force_login(world.reader)

        html = client.get(reverse("planning:agreement_print", args=[agreement.pk])).content.decode()

        statement = html.split('data-testid="pk-statement"')[1].split('data-testid="pk-annex"')[0]
        name_cell = statement.split('data-testid="pk-second-party-name">')[1].split("<")[0]
        assert name_cell == GOVERNOR.name
        assert f'<span class="signer">{GOVERNOR.name}</span>' in statement
        assert "19650817 199003 1 004" in statement
        assert "Gubernur Sulawesi Tengah" in statement
        assert "……" not in html

    def test_without_a_name_the_second_party_is_left_to_be_written_in(self, world, client):
        agreement = head_agreement(
            world, party=services.ExternalParty(title="Gubernur Sulawesi Tengah")
        )
        client.force_login(world.reader)

        html = client.get(reverse("planning:agreement_print", args=[agreement.pk])).content.decode()

        name_cell = html.split('data-testid="pk-second-party-name">')[1].split("<")[0]
        assert name_cell.startswith("……")

    def test_f4_is_the_default_paper_and_an_unknown_paper_is_404(self, world, client):
        agreement = signed_agreement(world)
        client.force_login(world.reader)
        url = reverse("planning:agreement_print", args=[agreement.pk])

        assert "215mm 330mm" in client.get(url).content.decode()
        assert client.get(url, {"paper": "letter"}).status_code == 404

    def test_a_revision_is_titled_as_pk_perubahan(self, world, client):
        new = services.agreement_revise(
            actor=world.planner_scope,
            agreement=signed_agreement(world),
            effective_date=datetime.date(YEAR, 7, 1),
            reason="Refocusing",
        )
        client.force_login(world.reader)
        html = client.get(reverse("planning:agreement_print", args=[new.pk])).content.decode()
        with translation.override("id"):
            title = gettext("AMENDED PERFORMANCE AGREEMENT %(year)s") % {"year": YEAR}
        assert title in html

    @pytest.mark.parametrize(("paper", "size_mm"), [("f4", (215, 330)), ("a4", (210, 297))])
    def test_statement_and_annex_are_one_page_each_on_the_chosen_paper(
        self, world, client, paper, size_mm
    ):
        import weasyprint

        agreement = signed_agreement(world)
        client.force_login(world.reader)
        html = client.get(
            reverse("planning:agreement_print", args=[agreement.pk]), {"paper": paper}
        ).content.decode()

        pages = weasyprint.HTML(string=html).render().pages

        assert len(pages) == 2
        assert (round(pages[0].width * 25.4 / 96), round(pages[0].height * 25.4 / 96)) == size_mm

    def test_the_pdf_renders(self, world, client):
        agreement = signed_agreement(world)
        client.force_login(world.reader)

        response = client.get(
            reverse("planning:agreement_pdf", args=[agreement.pk]), {"paper": "f4"}
        )

        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert f"PK-{YEAR}-" in response["Content-Disposition"]


class TestIndividualIndicatorPages:
    def test_the_unit_head_creates_an_iki_for_a_staff_member(self, world, client):
        line = signed_agreement(world).lines.get(indicator=world.cumulative)
        assignment = world.staff_member.assignments.get()
        client.force_login(world.unit_head.user)
        url = (
            reverse("planning:individual_indicator_create")
            + f"?agency={world.agency.pk}&year={YEAR}"
        )

        form_page = client.get(url)
        response = client.post(
            url,
            {
                "assignment": assignment.pk,
                "parent_line": line.pk,
                "name": "Jumlah koperasi yang diawasi",
                "unit_of_measure": "koperasi",
                "polarity": "higher",
                "aggregation": "cumulative",
                "value": "25",
            },
        )

        # only the positions of the own unit are offered
        offered = list(form_page.context["form"].fields["assignment"].queryset)
        assert {a.position for a in offered} == {world.unit_head_position, world.staff_position}
        assert response.status_code == 302
        iki = world.staff_member.individual_indicators.get()
        assert (iki.value, iki.parent_line) == (D("25"), line)
        listing = client.get(reverse("planning:individual_indicator_list"), {"year": YEAR})
        assert "Jumlah koperasi yang diawasi" in listing.content.decode()

    def test_the_service_rule_on_the_parent_line_shows_on_the_field(self, world, client):
        head_pk = draft_agreement(
            world, position=world.head_position, lines={world.cumulative: D("1")}
        )
        client.force_login(world.planner)
        response = client.post(
            reverse("planning:individual_indicator_create")
            + f"?agency={world.agency.pk}&year={YEAR}",
            {
                "assignment": world.staff_member.assignments.get().pk,
                "parent_line": head_pk.lines.get().pk,
                "name": "X",
                "unit_of_measure": "x",
                "polarity": "higher",
                "aggregation": "last",
                "value": "1",
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["parent_line"]


def _more_indicators(world, count):
    for n in range(count):
        indicator = IndicatorFactory(
            objective=world.objective, code=f"X{n}", responsible_unit=world.unit
        )
        AnnualTarget.objects.create(indicator=indicator, year=YEAR, value=D(n + 1))


def _bigger_agreement(world, count):
    agreement = draft_agreement(world, position=world.head_position)
    for n in range(count):
        indicator = IndicatorFactory(
            objective=world.objective, code=f"Y{n}", aggregation="cumulative"
        )
        line = services.agreement_line_add(
            actor=world.planner_scope, agreement=agreement, indicator=indicator, value=D("4")
        )
        fill_quarters(world, line, ["1", "1", "1", "1"])
        services.agreement_program_add(
            actor=world.planner_scope, agreement=agreement, name=f"Program {n}", budget=D("1000")
        )
    return agreement


class TestQueryCounts:
    """Pages do a constant number of queries whatever the data size."""

    @pytest.mark.parametrize("size", [1, 12])
    def test_indicator_list(self, world, client, size, django_assert_max_num_queries):
        _more_indicators(world, size)
        signed_agreement(world)
        client.force_login(world.reader)
        with django_assert_max_num_queries(13):
            assert client.get(reverse("planning:indicator_list"), {"year": YEAR}).status_code == 200

    @pytest.mark.parametrize("size", [1, 12])
    def test_agreement_list(self, world, client, size, django_assert_max_num_queries):
        signed_agreement(world)
        for n in range(size):
            position = (
                staff(agency=world.agency, role_key="staf").employee.assignments.get().position
            )
            draft_agreement(world, position=position)
            assert n >= 0
        client.force_login(world.reader)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("planning:agreement_list"), {"year": YEAR}).status_code == 200

    @pytest.mark.parametrize("size", [1, 12])
    def test_agreement_detail(self, world, client, size, django_assert_max_num_queries):
        agreement = _bigger_agreement(world, size)
        client.force_login(world.planner)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("planning:agreement_detail", args=[agreement.pk]))
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="ra-row"') == size

    @pytest.mark.parametrize("size", [1, 12])
    def test_individual_indicator_list(self, world, client, size, django_assert_max_num_queries):
        line = signed_agreement(world).lines.get(indicator=world.cumulative)
        for _ in range(size):
            IndividualIndicatorFactory(
                employee=world.staff_member, position=world.staff_position, parent_line=line
            )
        client.force_login(world.reader)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("planning:individual_indicator_list"), {"year": YEAR})
        assert response.content.decode().count('data-testid="iki-row"') == size
