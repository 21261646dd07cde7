from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kinerja.collection.evidence import evidence_add
from kinerja.collection.models import Collection, Entry, Evidence, Worksheet, WorksheetRow
from kinerja.collection.services import collection_create, entry_record
from kinerja.core.templatetags.kinerja_format import tanggal
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.collection.world import collection_world
from tests.documents.samples import pdf, upload
from tests.factories import staff
from tests.workflow.sop_world import import_small_sop

YEAR = 2025
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(agency):
    return collection_world(agency)


@pytest.fixture
def collection(world) -> Collection:
    return collection_create(actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2")


def worksheet_of(collection, unit) -> Worksheet:
    return Worksheet.objects.get(collection=collection, unit=unit)


def row_of(collection, indicator) -> WorksheetRow:
    return WorksheetRow.objects.select_related("worksheet__unit__agency", "indicator").get(
        worksheet__collection=collection, indicator=indicator
    )


def kabid(world, number):
    return world.small.unit_heads[number].user


def planner(world):
    return world.small.kasubbag.user


@pytest.fixture
def english(client, settings):
    """Pages in English, so assertions compare the msgids whatever the catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def outsider(other_agency):
    return staff(agency=other_agency, role_key=RoleKey.KASUBBAG_PROGRAM)


class TestCollectionList:
    def test_lists_the_agency_collections_with_a_link(self, client, world, collection):
        client.force_login(kabid(world, 1))

        response = client.get(reverse("collection:list"))

        assert response.status_code == 200
        assert reverse("collection:detail", args=[collection.pk]) in response.text
        assert reverse("collection:create") not in response.text  # not a planner

    def test_planners_get_the_create_link(self, client, world, collection):
        client.force_login(planner(world))

        response = client.get(reverse("collection:list"))

        assert reverse("collection:create") in response.text

    def test_another_agency_is_404(self, client, world, collection, outsider):
        client.force_login(outsider)

        response = client.get(reverse("collection:list"), {"agency": world.agency.pk})

        assert response.status_code == 404

    def test_anonymous_goes_to_the_login(self, client, collection):
        response = client.get(reverse("collection:list"))

        assert response.status_code == 302
        assert reverse("login") in response["Location"]


class TestCollectionCreate:
    def test_offers_the_agency_collection_sops_and_creates_with_one(self, client, world):
        sop = import_small_sop(world.agency, code="pengumpulan-data-kinerja")
        other = import_small_sop(world.agency, code="uji-lain", name="Pengumpulan Data Lain")
        client.force_login(planner(world))

        page = client.get(reverse("collection:create"))
        response = client.post(
            reverse("collection:create"),
            {"agency": world.agency.pk, "year": YEAR, "period": "tw1", "sop": sop.pk},
        )

        assert f'value="{sop.pk}"' in page.text
        assert f'value="{other.pk}"' not in page.text
        collection = Collection.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("collection:detail", args=[collection.pk])
        assert collection.process is not None
        assert collection.status == Collection.Status.OPEN

    def test_a_duplicate_period_shows_the_service_error_on_the_form(self, client, world, english):
        client.force_login(planner(world))
        data = {"agency": world.agency.pk, "year": YEAR, "period": "tw1"}
        client.post(reverse("collection:create"), data)

        response = client.post(reverse("collection:create"), data)

        assert response.status_code == 200
        assert "already exists" in response.text
        assert Collection.objects.count() == 1

    def test_unit_staff_are_refused(self, client, world):
        client.force_login(kabid(world, 0))

        assert client.get(reverse("collection:create")).status_code == 403
        response = client.post(
            reverse("collection:create"),
            {"agency": world.agency.pk, "year": YEAR, "period": "tw1"},
        )
        assert response.status_code == 403
        assert not Collection.objects.exists()

    def test_a_planner_of_another_agency_cannot_create_here(self, client, world, outsider):
        client.force_login(outsider)

        page = client.get(reverse("collection:create"), {"agency": world.agency.pk})
        client.post(
            reverse("collection:create"),
            {"agency": world.agency.pk, "year": YEAR, "period": "tw1"},
        )

        assert page.status_code == 404
        assert not Collection.objects.filter(agency=world.agency).exists()


class TestCollectionDetail:
    def test_worksheets_with_status_deadline_rows_and_process(self, client, world):
        sop = import_small_sop(world.agency, code="pengumpulan-data-kinerja")
        collection = collection_create(
            actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2", sop=sop
        )
        client.force_login(planner(world))

        response = client.get(reverse("collection:detail", args=[collection.pk]))

        assert response.status_code == 200
        text = response.text
        assert text.count('data-testid="worksheet-row"') == 2
        zone = ZoneInfo(world.agency.government.time_zone)
        for worksheet in collection.worksheets.all():
            assert reverse("collection:worksheet", args=[worksheet.pk]) in text
            with translation.override("id"):
                local = tanggal(timezone.localtime(worksheet.deadline, zone), "j F Y H:i")
            assert local in text
        assert reverse("workflow:process", args=[collection.process_id]) in text

    def test_unit_staff_get_a_link_to_their_own_worksheet_only(self, client, world, collection):
        bidang_a, bidang_b, _upt = world.units
        client.force_login(kabid(world, 1))

        text = client.get(reverse("collection:detail", args=[collection.pk])).text

        own = worksheet_of(collection, bidang_b)
        other = worksheet_of(collection, bidang_a)
        assert reverse("collection:worksheet", args=[own.pk]) in text
        assert reverse("collection:worksheet", args=[other.pk]) not in text

    def test_another_agency_is_404(self, client, collection, outsider):
        client.force_login(outsider)

        response = client.get(reverse("collection:detail", args=[collection.pk]))

        assert response.status_code == 404


class TestWorksheet:
    def test_the_unit_gets_the_entry_grid(self, client, world, collection):
        bidang_a = world.units[0]
        client.force_login(kabid(world, 0))

        response = client.get(
            reverse("collection:worksheet", args=[worksheet_of(collection, bidang_a).pk])
        )

        assert response.status_code == 200
        assert response.text.count('data-testid="ws-row"') == 2
        assert response.text.count('data-testid="ws-form"') == 2
        assert world.cumulative.code in response.text

    def test_planners_may_view_every_worksheet(self, client, world, collection):
        client.force_login(world.small.kadis.user)

        response = client.get(
            reverse("collection:worksheet", args=[worksheet_of(collection, world.units[1]).pk])
        )

        assert response.status_code == 200

    def test_unit_staff_without_a_unit_role_see_it_read_only(self, client, world, collection):
        member = staff(agency=world.agency, unit=world.units[0], role_key=RoleKey.STAF)
        client.force_login(member)

        response = client.get(
            reverse("collection:worksheet", args=[worksheet_of(collection, world.units[0]).pk])
        )

        assert response.status_code == 200
        assert 'data-testid="ws-form"' not in response.text

    def test_a_submitted_worksheet_has_no_inputs(self, client, world, collection):
        worksheet = worksheet_of(collection, world.units[0])
        Worksheet.objects.filter(pk=worksheet.pk).update(status=Worksheet.Status.SUBMITTED)
        client.force_login(kabid(world, 0))

        response = client.get(reverse("collection:worksheet", args=[worksheet.pk]))

        assert 'data-testid="worksheet-readonly"' in response.text
        assert 'data-testid="ws-form"' not in response.text

    def test_another_unit_is_404(self, client, world, collection):
        client.force_login(kabid(world, 1))

        response = client.get(
            reverse("collection:worksheet", args=[worksheet_of(collection, world.units[0]).pk])
        )

        assert response.status_code == 404

    def test_another_agency_is_404(self, client, world, collection, outsider):
        client.force_login(outsider)

        response = client.get(
            reverse("collection:worksheet", args=[worksheet_of(collection, world.units[0]).pk])
        )

        assert response.status_code == 404

    @pytest.mark.parametrize("extra", [0, 12])
    def test_query_count_does_not_grow_with_rows(
        self, client, agency, extra, django_assert_max_num_queries
    ):
        world = collection_world(agency, extra_indicators=extra)
        collection = collection_create(
            actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2"
        )
        worksheet = worksheet_of(collection, world.units[0])
        holder = scope_for(world.data_holder.user)
        for row in worksheet.rows.select_related(
            "worksheet__collection", "worksheet__unit__agency"
        ):
            entry_record(actor=holder, row=row, value=Decimal(1), expected_version=0)
            evidence_add(actor=holder, row=row, uploaded=upload(pdf()))
        client.force_login(world.data_holder.user)
        url = reverse("collection:worksheet", args=[worksheet.pk])

        # the grid, its evidence and the review panel (history, notes at rows, tolerance,
        # evidence counts)
        with django_assert_max_num_queries(17):
            response = client.get(url)

        assert response.text.count('data-testid="ws-row"') == worksheet.rows.count()


class TestRowSave:
    def save(self, client, row, **data):
        payload = {"expected_version": 0, "value": "", "analysis": "", **data}
        return client.post(reverse("collection:row_save", args=[row.pk]), payload, headers=HTMX)

    def test_saves_an_indonesian_number_and_answers_with_the_row(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        client.force_login(world.data_holder.user)

        response = self.save(client, row, value="1.234,5", analysis="Sesuai rencana")

        entry = Entry.objects.get(row=row)
        assert entry.value == Decimal("1234.5")
        assert entry.analysis == "Sesuai rencana"
        assert response.status_code == 200
        assert 'data-testid="ws-saved"' in response.text
        assert 'name="expected_version" id="ws-version-' in response.text
        assert 'value="1" hx-swap-oob="true"' in response.text
        assert 'name="value"' not in response.text  # the inputs being typed in stay as they are
        # the submit button posts the worksheet's revision after this save
        row.worksheet.refresh_from_db()
        assert (
            f'name="revision" id="ws-revision" value="{row.worksheet.revision}" hx-swap-oob'
            in response.text
        )

    def test_a_percentage_is_accepted(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        client.force_login(kabid(world, 0))

        self.save(client, row, value="85,5 %")

        assert Entry.objects.get(row=row).value == Decimal("85.5")

    def test_a_bad_number_saves_nothing_and_says_why(self, client, world, collection, english):
        row = row_of(collection, world.cumulative)
        client.force_login(world.data_holder.user)

        response = self.save(client, row, value="delapan")

        assert not Entry.objects.exists()
        assert 'data-testid="ws-error"' in response.text
        assert "Enter a number the Indonesian way" in response.text
        assert 'name="value"' not in response.text  # "delapan" stays in the input, unsaved

    def test_a_stale_version_is_a_conflict_showing_theirs_and_saving_nothing(
        self, client, world, collection, english
    ):
        row = row_of(collection, world.cumulative)
        entry_record(
            actor=world.coordinator,
            row=row,
            value=Decimal(42),
            obstacles="Data dinas kabupaten terlambat",
            expected_version=0,
        )
        client.force_login(world.data_holder.user)

        response = self.save(client, row, value="50", expected_version=0)
        again = self.save(client, row, value="50", analysis="Tambahan", expected_version=0)

        assert Entry.objects.get(row=row).value == Decimal(42)
        assert 'data-testid="ws-conflict"' in response.text
        assert "Data dinas kabupaten terlambat" in response.text  # every field of theirs
        assert 'name="value"' not in response.text  # the user's 50 stays in the input
        assert 'id="ws-version-' not in response.text  # the page keeps the version it saw
        assert 'data-testid="ws-conflict"' in again.text  # a later change conflicts again
        assert Entry.objects.filter(row=row).count() == 1

    def test_replacing_theirs_is_an_explicit_choice(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        entry_record(actor=world.coordinator, row=row, value=Decimal(42), expected_version=0)
        client.force_login(world.data_holder.user)

        response = self.save(client, row, value="50", expected_version=0, replace_version=1)

        assert 'data-testid="ws-saved"' in response.text
        assert Entry.objects.filter(row=row).order_by("-version").first().value == Decimal(50)

    def test_without_htmx_it_redirects_to_the_worksheet(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        client.force_login(world.data_holder.user)

        response = client.post(
            reverse("collection:row_save", args=[row.pk]),
            {"expected_version": 0, "value": "7"},
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("collection:worksheet", args=[row.worksheet_id])
        assert Entry.objects.get(row=row).value == Decimal(7)

    def test_a_viewer_who_may_not_enter_is_refused(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        client.force_login(staff(agency=world.agency, unit=world.units[0], role_key=RoleKey.STAF))

        response = self.save(client, row, value="7")

        assert response.status_code == 403
        assert not Entry.objects.exists()

    def test_another_unit_is_404(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        client.force_login(kabid(world, 1))

        assert self.save(client, row, value="7").status_code == 404
        assert not Entry.objects.exists()

    def test_another_agency_is_404(self, client, world, collection, outsider):
        row = row_of(collection, world.cumulative)
        client.force_login(outsider)

        assert self.save(client, row, value="7").status_code == 404


class TestRowHistory:
    def test_lists_every_version(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        entry_record(actor=world.coordinator, row=row, value=Decimal(1), expected_version=0)
        entry_record(actor=world.coordinator, row=row, value=Decimal(2), expected_version=1)
        client.force_login(kabid(world, 0))

        response = client.get(reverse("collection:row_history", args=[row.pk]))

        assert response.text.count('data-testid="entry-version"') == 2

    @pytest.mark.parametrize("who", ["other_unit", "outsider"])
    def test_others_get_404(self, client, world, collection, outsider, who):
        row = row_of(collection, world.cumulative)
        client.force_login(kabid(world, 1) if who == "other_unit" else outsider)

        response = client.get(reverse("collection:row_history", args=[row.pk]))

        assert response.status_code == 404


class TestEvidence:
    def test_upload_answers_with_the_row_listing_the_file(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        client.force_login(world.data_holder.user)

        response = client.post(
            reverse("collection:evidence_add", args=[row.pk]),
            {"file": upload(pdf())},
            headers=HTMX,
        )

        evidence = Evidence.objects.get(row=row)
        assert reverse("collection:evidence_download", args=[evidence.pk]) in response.text

    def test_a_refused_file_shows_the_message(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        client.force_login(world.data_holder.user)

        response = client.post(
            reverse("collection:evidence_add", args=[row.pk]),
            {"file": upload(b"MZ\x90\x00")},
            headers=HTMX,
        )

        assert 'data-testid="ws-evidence-error"' in response.text
        assert not Evidence.objects.exists()

    def test_remove_archives_it(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        evidence = evidence_add(actor=world.coordinator, row=row, uploaded=upload(pdf()))
        client.force_login(world.data_holder.user)

        response = client.post(
            reverse("collection:evidence_remove", args=[evidence.pk]), headers=HTMX
        )

        assert response.status_code == 200
        assert Evidence.objects.get(pk=evidence.pk).is_archived

    def test_another_unit_gets_404_for_upload_and_remove(self, client, world, collection):
        row = row_of(collection, world.cumulative)
        evidence = evidence_add(actor=world.coordinator, row=row, uploaded=upload(pdf()))
        client.force_login(kabid(world, 1))

        added = client.post(
            reverse("collection:evidence_add", args=[row.pk]), {"file": upload(pdf())}
        )
        removed = client.post(reverse("collection:evidence_remove", args=[evidence.pk]))

        assert (added.status_code, removed.status_code) == (404, 404)
        assert Evidence.objects.filter(archived_at__isnull=True).count() == 1

    def test_another_agency_gets_404(self, client, world, collection, outsider):
        row = row_of(collection, world.cumulative)
        evidence = evidence_add(actor=world.coordinator, row=row, uploaded=upload(pdf()))
        client.force_login(outsider)

        added = client.post(
            reverse("collection:evidence_add", args=[row.pk]), {"file": upload(pdf())}
        )
        removed = client.post(reverse("collection:evidence_remove", args=[evidence.pk]))

        assert (added.status_code, removed.status_code) == (404, 404)
