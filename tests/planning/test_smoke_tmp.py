import json
from decimal import Decimal
import pytest
from kinerja.planning.interchange.importer import planning_import

@pytest.mark.django_db
def test_smoke():
    data = json.load(open("docs/examples/planning-example.json"), parse_float=Decimal)
    r = planning_import(actor=None, data=data, dry_run=False)
    print(r)
    assert r.ok
    r2 = planning_import(actor=None, data=data, dry_run=False)
    print(r2)
    assert not r2.created and not r2.updated

@pytest.mark.django_db
def test_roundtrip():
    from kinerja.organizations.models import Agency
    from kinerja.planning.interchange.exporter import planning_export
    data = json.load(open("docs/examples/planning-example.json"), parse_float=Decimal)
    r = planning_import(actor=None, data=data, dry_run=False)
    assert r.ok
    out = planning_export(scope=None, agency=Agency.objects.get(), year=2025)
    print(json.dumps(out["agreements"], indent=None)); print(json.dumps(out["individual_indicators"]))
    r2 = planning_import(actor=None, data=json.loads(json.dumps(out)), dry_run=False)
    print(r2)
    assert not r2.created and not r2.updated
