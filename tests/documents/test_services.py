"""Upload, versions, numbering, archiving: what is stored, who may, what is refused."""

import hashlib
import re

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.documents import services
from kinerja.documents.models import Document, DocumentVersion, NumberSequence
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.documents import samples
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def upload(scope, agency, content=None, *, name="laporan.pdf", kind="surat", title="Laporan"):
    return services.document_upload(
        actor=scope,
        agency=agency,
        kind=kind,
        title=title,
        uploaded=samples.upload(samples.pdf() if content is None else content, name),
        note="unggahan pertama",
    )


class TestUpload:
    def test_the_file_is_stored_with_its_hash_size_type_and_a_random_name(
        self, member, member_scope, agency, media_root
    ):
        content = samples.pdf(b"laporan kinerja")

        document = upload(member_scope, agency, content, name="Laporan TW I.pdf")

        version = document.versions.get()
        assert (document.current_version, version.version) == (1, 1)
        assert version.sha256 == hashlib.sha256(content).hexdigest()
        assert version.size == len(content)
        assert version.content_type == "application/pdf"
        assert version.original_name == "Laporan TW I.pdf"
        assert version.generated is False
        assert version.created_by == member
        assert version.note == "unggahan pertama"
        assert re.fullmatch(
            rf"documents/{agency.pk}/\d{{4}}/[0-9a-f]{{32}}\.pdf", version.file.name
        )
        assert (media_root / version.file.name).read_bytes() == content
        assert document.created_by == member and document.number == ""

    def test_the_stored_extension_follows_the_content_not_the_name(self, member_scope, agency):
        document = upload(member_scope, agency, samples.xlsx_file(), name="rekap.pdf")

        version = document.versions.get()
        assert version.file.name.endswith(".xlsx")
        assert version.content_type.endswith("spreadsheetml.sheet")
        assert version.original_name == "rekap.pdf"

    def test_a_path_in_the_uploaded_name_is_dropped(self, member_scope, agency):
        document = upload(member_scope, agency, name="..\\..\\etc/passwd.pdf")

        assert document.versions.get().original_name == "passwd.pdf"

    def test_creation_is_recorded(self, member, member_scope, agency):
        document = upload(member_scope, agency)

        record = ChangeRecord.objects.get(model="document", object_id=str(document.pk))
        assert record.action == "create"
        assert record.user == member
        assert record.changes["current_version"] == {"old": 0, "new": 1}

    @pytest.mark.parametrize(
        "content",
        [samples.exe(), samples.plain_zip(), samples.macro_document(), b"Nama;Jabatan\n"],
        ids=["exe", "zip", "docm", "csv"],
    )
    def test_refused_types_store_nothing(self, member_scope, agency, media_root, content):
        with pytest.raises(ValidationFailed) as caught:
            upload(member_scope, agency, content, name="laporan.pdf")

        assert list(caught.value.errors) == ["file"]
        assert Document.objects.count() == 0
        assert samples.stored_files(media_root) == []

    def test_an_oversize_file_is_refused_in_indonesian_and_nothing_is_stored(
        self, member_scope, agency, media_root, settings
    ):
        settings.KINERJA_MAX_UPLOAD_BYTES = 1536

        with translation.override("id"), pytest.raises(ValidationFailed) as caught:
            upload(member_scope, agency, samples.pdf(bytes(2000)))

        with translation.override("id"):
            expected = gettext("The file is larger than the limit of %(limit)s.") % {
                "limit": "1,5 KB"
            }
        assert caught.value.errors == {"file": [expected]}
        assert Document.objects.count() == 0
        assert DocumentVersion.objects.count() == 0
        assert samples.stored_files(media_root) == []

    def test_a_file_at_the_limit_is_accepted(self, member_scope, agency, settings):
        content = samples.pdf()
        settings.KINERJA_MAX_UPLOAD_BYTES = len(content)

        assert upload(member_scope, agency, content).versions.get().size == len(content)

    def test_an_empty_file_is_refused(self, member_scope, agency):
        with pytest.raises(ValidationFailed) as caught:
            upload(member_scope, agency, b"")

        assert list(caught.value.errors) == ["file"]

    def test_a_failure_after_the_file_was_written_removes_it(
        self, member_scope, agency, media_root, monkeypatch
    ):
        def broken(**kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr(services, "change_record_create", broken)

        with pytest.raises(RuntimeError):
            upload(member_scope, agency)

        assert Document.objects.count() == 0
        assert samples.stored_files(media_root) == []

    @pytest.mark.parametrize(("kind", "title"), [("memo", "Judul"), ("surat", "  ")])
    def test_bad_kind_or_title_is_refused(self, member_scope, agency, kind, title):
        with pytest.raises(ValidationFailed) as caught:
            upload(member_scope, agency, kind=kind, title=title)

        assert set(caught.value.errors) <= {"kind", "title"}
        assert Document.objects.count() == 0

    def test_staff_of_another_agency_may_not_upload(self, outsider_scope, agency):
        with pytest.raises(AccessDenied):
            upload(outsider_scope, agency)

    def test_a_government_administrator_reads_but_does_not_write(self, agency):
        admin = UserFactory(administered_government=agency.government)

        with pytest.raises(AccessDenied):
            upload(scope_for(admin), agency)


class TestVersions:
    def test_a_new_version_is_appended_and_the_old_one_kept(self, member, member_scope, agency):
        document = upload(member_scope, agency, samples.pdf(b"v1"))
        first = document.versions.get()

        version = services.document_version_upload(
            actor=member_scope,
            document=document,
            uploaded=samples.upload(samples.docx_file(), "perbaikan.docx"),
            note="perbaikan sesuai catatan Sekretaris",
        )

        document.refresh_from_db()
        assert (version.version, document.current_version) == (2, 2)
        assert list(document.versions.values_list("version", flat=True)) == [1, 2]
        kept = DocumentVersion.objects.get(pk=first.pk)
        assert (kept.sha256, kept.file.name) == (first.sha256, first.file.name)
        assert kept.file.read() == samples.pdf(b"v1")
        assert version.content_type.endswith("wordprocessingml.document")
        record = ChangeRecord.objects.get(model="document", action="version")
        assert record.changes["current_version"] == {"old": 1, "new": 2}
        assert record.reason == "perbaikan sesuai catatan Sekretaris"

    def test_a_refused_version_changes_nothing(self, member_scope, agency, media_root):
        document = upload(member_scope, agency)
        before = samples.stored_files(media_root)

        with pytest.raises(ValidationFailed):
            services.document_version_upload(
                actor=member_scope, document=document, uploaded=samples.upload(samples.exe())
            )

        document.refresh_from_db()
        assert document.current_version == 1
        assert samples.stored_files(media_root) == before

    def test_an_archived_document_takes_no_new_version(self, member_scope, agency):
        document = upload(member_scope, agency)
        services.document_archive(actor=member_scope, document=document)

        with pytest.raises(ValidationFailed):
            services.document_version_upload(
                actor=member_scope, document=document, uploaded=samples.upload(samples.pdf())
            )

    def test_staff_of_another_agency_may_not_add_a_version(
        self, member_scope, outsider_scope, agency
    ):
        document = upload(member_scope, agency)

        with pytest.raises(AccessDenied):
            services.document_version_upload(
                actor=outsider_scope, document=document, uploaded=samples.upload(samples.pdf())
            )


class TestNumbering:
    @time_machine.travel("2026-11-20 10:00 +08:00", tick=False)
    def test_numbers_run_in_sequence_per_kind_and_year(self, member_scope, agency):
        agency.short_name = "Dinas Koperasi dan UKM"
        agency.save()
        letters = [upload(member_scope, agency, title=f"Surat {n}") for n in range(3)]
        order = upload(member_scope, agency, kind="surat_perintah_tugas", title="SPT")

        numbers = [
            services.document_number_assign(actor=member_scope, document=d).number
            for d in [*letters, order]
        ]

        assert numbers == [
            "001/DKUKM/XI/2026",
            "002/DKUKM/XI/2026",
            "003/DKUKM/XI/2026",
            "001/SPT/DKUKM/XI/2026",
        ]
        assert NumberSequence.objects.get(agency=agency, kind="surat", year=2026).last == 3

    def test_the_year_and_month_are_those_of_the_agency_time_zone(self, member_scope, agency):
        agency.government.time_zone = "Asia/Jayapura"  # WIT, UTC+9
        agency.government.save()
        document = upload(member_scope, agency)

        with time_machine.travel("2026-12-31 16:30 +00:00", tick=False):  # 1 Jan 2027 in Papua
            number = services.document_number_assign(actor=member_scope, document=document).number

        assert number.endswith("/I/2027")

    @time_machine.travel("2027-01-05 09:00 +07:00", tick=False)
    def test_a_new_year_starts_at_one_with_last_years_pattern(self, member_scope, agency):
        NumberSequence.objects.create(
            agency=agency, kind="surat", year=2026, last=41, pattern="000.1.2/{seq}/{code}/{year}"
        )
        agency.short_name = "DKUKM"
        agency.save()

        number = services.document_number_assign(
            actor=member_scope, document=upload(member_scope, agency)
        ).number

        assert number == "000.1.2/001/DKUKM/2027"

    def test_a_typed_number_is_kept_and_must_be_unique(self, member_scope, agency):
        first, second = upload(member_scope, agency), upload(member_scope, agency)

        services.document_number_assign(
            actor=member_scope, document=first, number=" 800/12/SK/2026 "
        )
        with pytest.raises(ValidationFailed) as caught:
            services.document_number_assign(
                actor=member_scope, document=second, number="800/12/SK/2026"
            )

        first.refresh_from_db()
        assert first.number == "800/12/SK/2026" and first.numbered_at is not None
        assert list(caught.value.errors) == ["number"]

    @time_machine.travel("2026-03-02 09:00 +07:00", tick=False)
    def test_the_sequence_skips_a_number_typed_by_hand(self, member_scope, agency):
        agency.short_name = "DPMPTSP"
        agency.save()
        services.document_number_assign(
            actor=member_scope, document=upload(member_scope, agency), number="001/DPMPTSP/III/2026"
        )

        number = services.document_number_assign(
            actor=member_scope, document=upload(member_scope, agency)
        ).number

        assert number == "002/DPMPTSP/III/2026"

    def test_a_document_is_numbered_once(self, member_scope, agency):
        document = upload(member_scope, agency)
        services.document_number_assign(actor=member_scope, document=document)

        with pytest.raises(Conflict):
            services.document_number_assign(actor=member_scope, document=document)

        assert ChangeRecord.objects.filter(action="number").count() == 1

    def test_an_invalid_pattern_gives_a_message_not_a_crash(self, member_scope, agency):
        document = upload(member_scope, agency)
        year = document.created_at.year
        NumberSequence.objects.create(agency=agency, kind="surat", year=year, pattern="{nomor}")

        with pytest.raises(ValidationFailed) as caught:
            services.document_number_assign(actor=member_scope, document=document)

        assert list(caught.value.errors) == ["number"]
        assert Document.objects.get(pk=document.pk).number == ""

    def test_staff_of_another_agency_may_not_number(self, member_scope, outsider_scope, agency):
        document = upload(member_scope, agency)

        with pytest.raises(AccessDenied):
            services.document_number_assign(actor=outsider_scope, document=document)


class TestArchive:
    def test_the_author_archives_and_everything_is_kept(self, member_scope, agency):
        document = upload(member_scope, agency)

        services.document_archive(actor=member_scope, document=document, reason="salah unggah")

        document.refresh_from_db()
        assert document.is_archived
        assert document.versions.count() == 1
        assert ChangeRecord.objects.get(action="archive").reason == "salah unggah"

    def test_a_colleague_may_not_archive_but_the_secretary_may(self, member_scope, agency):
        document = upload(member_scope, agency)
        colleague = scope_for(staff(agency=agency, role_key=RoleKey.STAF))
        secretary = scope_for(staff(agency=agency, role_key=RoleKey.SEKRETARIS))

        with pytest.raises(AccessDenied):
            services.document_archive(actor=colleague, document=document)
        services.document_archive(actor=secretary, document=document)

        assert Document.objects.get(pk=document.pk).is_archived
