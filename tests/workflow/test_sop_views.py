"""SOP pages: list, detail with downloads, the difference between versions, and the upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.organizations.models import RoleKey
from kinerja.workflow.models import SopVersion
from kinerja.workflow.services import sop_import
from tests.factories import UserFactory, staff
from tests.workflow.sop_world import import_small_sop, small_sop

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(agency):
    return staff(agency=agency, role_key=RoleKey.STAF)


@pytest.fixture
def secretary(agency):
    return staff(agency=agency, role_key=RoleKey.SEKRETARIS)


@pytest.fixture
def outsider(other_agency):
    return staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS)


@pytest.fixture
def sop(agency):
    return import_small_sop(agency)


def detail_url(version: SopVersion) -> str:
    return reverse("workflow:sop_detail", args=[version.agency_id, version.code])


class TestList:
    def test_the_agencys_sops_are_listed_with_their_latest_version(self, client, member, agency):
        import_small_sop(agency)
        latest = import_small_sop(agency, number="002/SOP/2025")
        import_small_sop(agency, code="uji-lain", name="Penyusunan Uji")
        client.force_login(member)

        response = client.get(reverse("workflow:sop_list"))

        assert response.status_code == 200
        rows = response.context["sops"]
        assert [(row.latest.code, row.latest.version) for row in rows] == [
            ("uji-data", 2),  # Pengumpulan Data Uji
            ("uji-lain", 1),  # Penyusunan Uji
        ]
        assert rows[0].latest == latest and rows[0].version_count == 2
        assert detail_url(latest).encode() in response.content
        assert b"sop-upload-link" not in response.content

    def test_organisers_see_the_upload_link(self, client, secretary, sop):
        client.force_login(secretary)

        response = client.get(reverse("workflow:sop_list"))

        assert b"sop-upload-link" in response.content

    def test_another_governments_agency_is_404(self, client, outsider, agency, sop):
        client.force_login(outsider)

        response = client.get(reverse("workflow:sop_list"), {"agency": agency.pk})

        assert response.status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self, client):
        response = client.get(reverse("workflow:sop_list"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("count", [1, 6])
    def test_the_list_takes_a_constant_number_of_queries(
        self, client, member, agency, count, django_assert_max_num_queries
    ):
        for n in range(count):
            import_small_sop(agency, code=f"uji-{n}")
            import_small_sop(agency, code=f"uji-{n}", number="002")
        client.force_login(member)

        with django_assert_max_num_queries(9):
            response = client.get(reverse("workflow:sop_list"))

        assert len(response.context["sops"]) == count


class TestDetail:
    def test_identity_actors_and_steps_are_shown(self, client, member, sop):
        client.force_login(member)

        response = client.get(detail_url(sop))

        content = response.content.decode()
        assert response.status_code == 200
        assert "001/SOP/2025" in content
        assert content.count('data-testid="sop-step"') == 5
        assert "Memeriksa rekap data" in content
        assert "Bidang/UPT" in content
        assert response.context["total_minutes"] == 1545
        for fmt in ("pdf", "html", "docx"):
            url = reverse("workflow:sop_download", args=[sop.agency_id, sop.code, 1, fmt])
            assert f"{url}?paper=a4" in content

    @pytest.mark.parametrize("count", [1, 6])
    def test_the_detail_takes_a_constant_number_of_queries(
        self, client, member, agency, count, django_assert_max_num_queries
    ):
        for n in range(count):
            version = import_small_sop(agency, number=f"00{n}/SOP/2025")
        client.force_login(member)

        with django_assert_max_num_queries(9):
            response = client.get(detail_url(version))

        assert len(response.context["versions"]) == count

    def test_an_older_version_is_shown_by_its_number(self, client, member, agency, sop):
        import_small_sop(agency, number="002/SOP/2025")
        client.force_login(member)

        response = client.get(reverse("workflow:sop_version", args=[agency.pk, sop.code, 1]))

        assert response.context["version"] == sop
        assert len(response.context["versions"]) == 2

    def test_an_unknown_sop_or_version_is_404(self, client, member, agency, sop):
        client.force_login(member)

        assert client.get(reverse("workflow:sop_detail", args=[agency.pk, "x"])).status_code == 404
        response = client.get(reverse("workflow:sop_version", args=[agency.pk, sop.code, 9]))
        assert response.status_code == 404

    def test_another_governments_sop_is_404(self, client, outsider, sop):
        client.force_login(outsider)

        assert client.get(detail_url(sop)).status_code == 404
        url = reverse("workflow:sop_download", args=[sop.agency_id, sop.code, 1, "html"])
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        ("fmt", "content_type", "magic"),
        [
            ("html", "text/html; charset=utf-8", b"<!DOCTYPE html"),
            ("docx", "application/vnd.openxmlformats", b"PK"),
            ("pdf", "application/pdf", b"%PDF"),
        ],
    )
    def test_the_official_document_downloads(self, client, member, sop, fmt, content_type, magic):
        client.force_login(member)
        url = reverse("workflow:sop_download", args=[sop.agency_id, sop.code, 1, fmt])

        response = client.get(url, {"paper": "a4"})

        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"] == (
            f'attachment; filename="SOP-uji-data-v1-a4.{fmt}"'
        )
        assert response.content[:20].upper().startswith(magic.upper())

    def test_an_unknown_format_is_404(self, client, member, sop):
        client.force_login(member)
        url = reverse("workflow:sop_download", args=[sop.agency_id, sop.code, 1, "exe"])

        assert client.get(url).status_code == 404


class TestDiff:
    def test_the_changed_fields_and_steps_are_shown_word_by_word(self, client, member, agency, sop):
        import_small_sop(agency, number="002/SOP/2025", activity="Menyiapkan kertas kerja baru")
        client.force_login(member)

        response = client.get(reverse("workflow:sop_diff", args=[agency.pk, sop.code, 1, 2]))

        diff = response.context["diff"]
        assert [change.name for change in diff.identity] == ["number"]
        assert [(part.key, part.status) for part in diff.steps] == [("2", "changed")]
        assert [(c.name, c.old, c.new) for c in diff.steps[0].changes] == [
            ("activity", "Menyiapkan kertas kerja", "Menyiapkan kertas kerja baru")
        ]
        content = response.content.decode()
        assert "<ins> baru</ins>" in content
        assert "<del>001/SOP/2025</del><ins>002/SOP/2025</ins>" in content
        assert not diff.actors

    def test_added_and_removed_steps_and_actors(self, client, member, agency, sop):
        text = small_sop(agency).replace(
            "  - {key: kasubbag_program, label: Kasubbag Program, role_key: kasubbag_program}\n",
            "  - {key: kasubbag_program, label: Kasubbag Program, role_key: kasubbag_program}\n"
            "  - {key: staf, label: Staf, role_key: staf}\n",
        )
        sop_import(actor=None, text=text)
        client.force_login(member)

        response = client.get(reverse("workflow:sop_diff", args=[agency.pk, sop.code, 1, 2]))
        back = client.get(reverse("workflow:sop_diff", args=[agency.pk, sop.code, 2, 1]))

        assert [(p.key, p.status) for p in response.context["diff"].actors] == [("staf", "added")]
        assert [(p.key, p.status) for p in back.context["diff"].actors] == [("staf", "removed")]

    def test_a_version_compared_with_itself_is_empty(self, client, member, agency, sop):
        client.force_login(member)

        response = client.get(reverse("workflow:sop_diff", args=[agency.pk, sop.code, 1, 1]))

        assert response.context["diff"].is_empty
        assert b"diff-empty" in response.content


class TestUpload:
    def url(self, agency) -> str:
        return reverse("workflow:sop_upload", args=[agency.pk])

    def test_an_organiser_uploads_a_file_as_a_new_sop(self, client, secretary, agency):
        client.force_login(secretary)
        upload = SimpleUploadedFile("uji.yaml", small_sop(agency).encode())

        response = client.post(self.url(agency), {"file": upload})

        version = SopVersion.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "workflow:sop_version", args=[agency.pk, "uji-data", 1]
        )
        assert version.imported_by == secretary

    def test_pasted_text_of_an_existing_code_becomes_its_next_version(
        self, client, secretary, agency, sop
    ):
        client.force_login(secretary)

        response = client.post(self.url(agency), {"text": small_sop(agency, number="002")})

        assert response.status_code == 302
        assert SopVersion.objects.filter(code=sop.code).count() == 2

    def test_an_invalid_definition_shows_each_problem_with_its_place(
        self, client, secretary, agency
    ):
        client.force_login(secretary)
        text = small_sop(agency).replace("unit: jam", "unit: pekan")

        response = client.post(self.url(agency), {"text": text})

        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert any(error.startswith("steps[3].duration.unit: ") for error in errors)
        assert not SopVersion.objects.exists()

    def test_a_definition_of_another_agency_is_refused(
        self, client, secretary, agency, other_agency
    ):
        client.force_login(secretary)

        response = client.post(self.url(agency), {"text": small_sop(other_agency)})

        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert not SopVersion.objects.exists()

    def test_an_empty_form_asks_for_a_file(self, client, secretary, agency):
        client.force_login(secretary)

        response = client.post(self.url(agency), {})

        assert response.context["form"].non_field_errors()

    def test_staff_who_do_not_organise_the_agency_get_403(self, client, member, agency):
        client.force_login(member)

        assert client.get(self.url(agency)).status_code == 403
        response = client.post(self.url(agency), {"text": small_sop(agency)})
        assert response.status_code == 403
        assert not SopVersion.objects.exists()

    def test_the_government_administrator_may_upload(self, client, agency):
        admin = UserFactory(administered_government=agency.government)
        client.force_login(admin)

        assert client.get(self.url(agency)).status_code == 200
        client.post(self.url(agency), {"text": small_sop(agency)})
        assert SopVersion.objects.get().imported_by == admin

    def test_outsiders_get_404(self, client, outsider, agency):
        client.force_login(outsider)

        assert client.get(self.url(agency)).status_code == 404
