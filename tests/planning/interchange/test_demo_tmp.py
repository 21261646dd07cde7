import io, json
from decimal import Decimal
from pathlib import Path
import pytest
from kinerja.organizations.models import Agency, Government
from kinerja.planning.interchange.importer import planning_import
from kinerja.planning.interchange.exporter import planning_export
from kinerja.planning.interchange.workbook import workbook_from_data
from kinerja.planning.interchange.files import planning_import_file

@pytest.mark.django_db
def test_demo_roundtrip():
    for code, name in (("12","Sumut"),("13","Sumbar"),("63","Kalsel")):
        Government.objects.create(code=code, name=name, level="provinsi", time_zone="Asia/Jakarta")
    for f in sorted(Path("src/kinerja/demo/data").glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"), parse_float=Decimal)
        r = planning_import(actor=None, data=data, dry_run=False)
        assert r.applied, r.problems
    for agency in Agency.objects.all():
        for year in (2024, 2025):
            out = planning_export(scope=None, agency=agency, year=year)
            r = planning_import(actor=None, data=json.loads(json.dumps(out)), dry_run=True)
            assert not r.problems and not r.created and not r.updated, (agency, year, r)
            buf = io.BytesIO(); workbook_from_data(out).save(buf)
            r = planning_import_file(actor=None, content=buf.getvalue(), dry_run=True)
            assert not r.problems and not r.created and not r.updated, (agency, year, r)
            print(agency.code, year, sum(r.unchanged.values()))
