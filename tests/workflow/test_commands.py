"""`kinerja sop validate|import|list|export|render` on real files and a real database."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

from kinerja.sops import SOPS_DIR
from kinerja.workflow.definitions import parse_sop, validate_sop
from kinerja.workflow.models import SopVersion
from tests.factories import AgencyFactory
from tests.workflow.sop_world import small_sop

pytestmark = pytest.mark.django_db

SIANTAR = SOPS_DIR / "dpmptsp-pematangsiantar--pengumpulan-data-kinerja.yaml"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("sop", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sop_file(agency, tmp_path):
    path = tmp_path / "uji.yaml"
    path.write_text(small_sop(agency), encoding="utf-8")
    return path


class TestValidate:
    def test_a_valid_file_is_reported_valid(self):
        output = run("validate", str(SIANTAR))

        assert output.strip() == gettext("%(file)s is a valid SOP definition.") % {"file": SIANTAR}

    def test_an_invalid_file_lists_its_problems_with_their_paths_and_exits_1(self, tmp_path):
        path = tmp_path / "rusak.yaml"
        path.write_text(
            SIANTAR.read_text(encoding="utf-8").replace("unit: hari", "unit: minggu", 1),
            encoding="utf-8",
        )

        with pytest.raises(CommandError) as caught:
            run("validate", str(path))

        assert caught.value.returncode == 1
        assert "steps[1].duration.unit" in str(caught.value)
        assert not SopVersion.objects.exists()

    def test_a_missing_file_is_an_error(self, tmp_path):
        with pytest.raises(CommandError):
            run("validate", str(tmp_path / "tidak-ada.yaml"))


class TestImport:
    def test_import_then_reimport_then_a_new_version(self, agency, sop_file):
        first = run("import", str(sop_file))
        again = run("import", str(sop_file))
        sop_file.write_text(small_sop(agency, number="002/SOP/2025"), encoding="utf-8")
        changed = run("import", str(sop_file), "--agency", agency.code)

        names = {"agency": agency.code, "code": "uji-data", "version": 1}
        assert first.strip() == gettext("Imported %(agency)s/%(code)s version %(version)s.") % names
        assert (
            again.strip()
            == gettext("Unchanged: %(agency)s/%(code)s version %(version)s has the same text.")
            % names
        )
        assert changed.strip() == gettext("Imported %(agency)s/%(code)s version %(version)s.") % (
            names | {"version": 2}
        )
        assert list(
            SopVersion.objects.filter(code="uji-data").values_list("version", flat=True)
        ) == [2, 1]

    def test_the_agency_given_must_be_the_one_the_file_names(self, sop_file, other_agency):
        with pytest.raises(CommandError) as caught:
            run("import", str(sop_file), "--agency", other_agency.code)

        assert caught.value.returncode == 1
        assert not SopVersion.objects.exists()

    def test_an_unknown_agency_is_an_error(self, sop_file):
        with pytest.raises(CommandError):
            run("import", str(sop_file), "--agency", "tidak-ada")


class TestListExportRender:
    @pytest.fixture
    def imported(self, sop_file):
        run("import", str(sop_file))
        return SopVersion.objects.get()

    def test_list_shows_the_latest_version_of_each_sop(self, agency, imported):
        output = run("list")

        line = next(line for line in output.splitlines() if "uji-data" in line)
        assert agency.code in line and "v1" in line and "Pengumpulan Data Uji" in line
        assert "1545" in line  # 15 + 480 + 960 + 60 + 30 working minutes

    def test_list_without_sops_says_so(self):
        assert run("list").strip() == gettext("No SOPs have been imported yet.")

    def test_export_json_has_the_fields_and_the_working_minutes(self, imported):
        data = json.loads(run("export", "uji-data", "--format", "json"))

        assert data["code"] == "uji-data"
        assert data["identity"]["number"] == "001/SOP/2025"
        assert [step["working_minutes"] for step in data["steps"]] == [15, 480, 960, 60, 30]
        assert data["total_working_minutes"] == 1545
        assert data["steps"][3]["yes"] == 5 and data["steps"][3]["no"] == 2

    def test_export_yaml_is_a_valid_definition_of_the_same_sop(self, imported, tmp_path):
        target = tmp_path / "ekspor.yaml"
        run("export", "uji-data", "--format", "yaml", "--output", str(target))

        text = target.read_text(encoding="utf-8")
        assert validate_sop(text) == []
        assert parse_sop(text) == parse_sop(imported.source)

    def test_export_a_given_version(self, agency, sop_file, imported):
        sop_file.write_text(small_sop(agency, number="002/SOP/2025"), encoding="utf-8")
        run("import", str(sop_file))

        first = json.loads(run("export", "uji-data", "--format", "json", "--version", "1"))
        latest = json.loads(run("export", "uji-data", "--format", "json"))

        assert (first["identity"]["number"], latest["identity"]["number"]) == (
            "001/SOP/2025",
            "002/SOP/2025",
        )

    def test_an_sop_code_of_several_agencies_needs_the_agency(self, agency, imported, tmp_path):
        other = AgencyFactory()
        path = tmp_path / "lain.yaml"
        path.write_text(small_sop(other), encoding="utf-8")
        run("import", str(path))

        with pytest.raises(CommandError) as caught:
            run("export", "uji-data")
        assert "--agency" in str(caught.value)
        assert (
            json.loads(run("export", "uji-data", "--agency", other.code, "--format", "json"))[
                "agency"
            ]
            == other.code
        )

    def test_an_unknown_sop_is_an_error(self, imported):
        with pytest.raises(CommandError):
            run("export", "tidak-ada")

    @pytest.mark.parametrize(
        ("fmt", "magic"), [("html", b"<!DOCTYPE html"), ("docx", b"PK"), ("pdf", b"%PDF")]
    )
    def test_render_writes_the_official_document(self, imported, tmp_path, fmt, magic):
        target = tmp_path / f"sop.{fmt}"

        run("render", "uji-data", "--format", fmt, "--paper", "a4", "--output", str(target))

        assert target.read_bytes()[:20].upper().startswith(magic.upper())
