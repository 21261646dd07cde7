"""`kinerja import-planning` and `kinerja export-planning`."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.planning.models import Indicator
from tests.planning.interchange.conftest import EXAMPLE, row_counts

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_without_apply_the_import_only_checks(tmp_path):
    before = row_counts()

    output = run("import_planning", str(EXAMPLE))

    assert row_counts() == before
    assert "--apply" in output
    assert any(line.strip().startswith(("Indikator", "Indicators")) for line in output.splitlines())


def test_apply_imports_a_clean_file():
    run("import_planning", str(EXAMPLE), "--apply")

    assert Indicator.objects.count() == 4


def test_yes_is_an_alias_of_apply():
    run("import_planning", str(EXAMPLE), "--yes")

    assert Indicator.objects.count() == 4


def test_problems_are_printed_and_fail_the_command(tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["indicators"][0]["polarity"] = "naik"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_planning", str(bad), "--apply", stdout=out)

    assert raised.value.returncode == 1
    assert "indicators[0].polarity" in out.getvalue()
    assert Indicator.objects.count() == 0


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        run("import_planning", str(tmp_path / "none.json"))


def test_export_writes_json_that_imports_as_a_no_op(tmp_path):
    run("import_planning", str(EXAMPLE), "--apply")
    target = tmp_path / "out.json"

    run("export_planning", "diskukm-sulteng", "2025", str(target))
    before = row_counts()
    output = run("import_planning", str(target), "--apply")

    assert json.loads(target.read_text(encoding="utf-8"))["agency"]["code"] == "diskukm-sulteng"
    assert row_counts() == before
    assert "0 new, 0 changed" in output or "0 baru" in output


def test_export_writes_a_workbook_by_extension(tmp_path):
    run("import_planning", str(EXAMPLE), "--apply")
    target = tmp_path / "out.xlsx"

    run("export_planning", "diskukm-sulteng", "2025", str(target))
    before = row_counts()
    run("import_planning", str(target), "--apply")

    assert openpyxl.load_workbook(target)["Indikator"].max_row == 5
    assert row_counts() == before


def test_the_template_is_an_empty_workbook(tmp_path):
    target = tmp_path / "template.xlsx"

    run("export_planning", "--template", str(target))

    workbook = openpyxl.load_workbook(target)
    assert workbook["Pegawai"].max_row == 1


@pytest.mark.parametrize(
    "args",
    [
        ("export_planning", "no-such-agency", "2025", "out.json"),
        ("export_planning", "diskukm-sulteng", "2025", "out.csv"),
        ("export_planning", "diskukm-sulteng"),
        ("export_planning", "--template", "template.json"),
    ],
)
def test_export_refuses_bad_arguments(args):
    with pytest.raises(CommandError):
        run(*args)
