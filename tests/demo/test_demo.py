"""`kinerja demo`: the demo data imports cleanly, once, and every demo account works.

Loading the demo takes a moment, so the module loads it once in a transaction
that is rolled back at the end; each test runs in its own savepoint inside it.
"""

import io
import json
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from kinerja.demo.loader import DEMO_PASSWORD, data_files, load_demo, split_name
from kinerja.measurement.models import Realization
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Agency, Assignment, Position, Team, TeamMember, User
from kinerja.planning.domain.action_plan import PlanAggregation, Target, check_quarterly_targets
from kinerja.planning.interchange.importer import planning_import
from kinerja.planning.models import (
    AgreementLine,
    AnnualTarget,
    Indicator,
    IndividualIndicator,
    PerformanceAgreement,
)

SEED_AGENCIES = (
    "dinkop-ukm-sulteng",
    "dpmptsp-pematangsiantar",
    "diskopukmperindag-balangan",
    "disperinaker-limapuluhkota",
)
COORDINATING_AGENCIES = ("bappeda-sulteng", "biro-organisasi-sulteng")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        accounts = load_demo()
        yield accounts
        transaction.set_rollback(True)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _target(obj) -> Target:
    return Target(value=obj.value, low=obj.low, high=obj.high)


def test_every_agency_of_the_seeds_is_loaded(demo, db):
    agencies = {a.code: a for a in Agency.objects.select_related("government")}

    assert set(SEED_AGENCIES + COORDINATING_AGENCIES) <= set(agencies)
    assert len(data_files()) == len(SEED_AGENCIES + COORDINATING_AGENCIES)
    assert {agencies[code].government.code for code in SEED_AGENCIES} == {
        "72",
        "1273",
        "6311",
        "1307",
    }
    parent = agencies["dpmptsp-pematangsiantar"].government.parent
    assert parent is not None and parent.code == "12"
    assert agencies["dinkop-ukm-sulteng"].government.time_zone == "Asia/Makassar"
    for code in COORDINATING_AGENCIES:
        assert agencies[code].is_coordinating
        assert agencies[code].government.code == "72"
        assert agencies[code].positions.filter(role_key="kepala_dinas").exists()
        assert agencies[code].positions.exclude(role_key="kepala_dinas").exists()


@pytest.mark.parametrize("code", SEED_AGENCIES)
def test_each_agency_has_varied_indicators_with_targets_for_2025(demo, db, code):
    indicators = Indicator.objects.filter(
        objective__plan__agency__code=code, annual_targets__year=2025
    ).distinct()

    assert indicators.count() >= 12
    assert {"higher", "lower", "range"} <= set(indicators.values_list("polarity", flat=True))
    assert {"cumulative", "last"} <= set(indicators.values_list("aggregation", flat=True))
    assert indicators.filter(is_key=True, objective__level="strategis").exists()
    assert indicators.filter(evidence_required=True).exists()
    assert indicators.exclude(numerator_label="").exclude(denominator_label="").exists()
    assert AnnualTarget.objects.filter(
        indicator__objective__plan__agency__code=code, year=2026
    ).exists()


@pytest.mark.parametrize("code", SEED_AGENCIES)
def test_pk_lines_have_four_consistent_quarterly_targets(demo, db, code):
    lines = (
        AgreementLine.objects.filter(agreement__position__agency__code=code, agreement__year=2025)
        .select_related("indicator")
        .prefetch_related("quarterly_targets")
    )
    signers = set(
        PerformanceAgreement.objects.filter(position__agency__code=code, year=2025).values_list(
            "position_id", flat=True
        )
    )
    heads = Position.objects.filter(
        agency__code=code,
        role_key__in=["kepala_dinas", "sekretaris", "kepala_bidang", "kepala_upt"],
    )

    assert set(heads.values_list("pk", flat=True)) <= signers
    assert lines
    for line in lines:
        quarters = {q.quarter: _target(q) for q in line.quarterly_targets.all()}
        assert sorted(quarters) == [1, 2, 3, 4]
        assert not check_quarterly_targets(
            year_target=_target(line),
            quarters=quarters,
            aggregation=PlanAggregation(line.indicator.aggregation),
        ), line


def test_pk_perubahan_revises_the_original(demo, db):
    revision = PerformanceAgreement.objects.get(
        position__agency__code="dinkop-ukm-sulteng", position__code="kabid-ukm", version=2
    )

    assert revision.revision_reason
    assert revision.supersedes is not None and revision.supersedes.version == 1
    assert revision.programs.exists()
    assert revision.lines.get(indicator__code="IKP.4.1").value == Decimal("1750")


@pytest.mark.parametrize("code", SEED_AGENCIES)
def test_the_head_of_agency_signs_with_the_regional_head(demo, db, code, client):
    head = PerformanceAgreement.objects.select_related("position__agency__government").get(
        position__agency__code=code, position__role_key="kepala_dinas", year=2025
    )
    government = head.position.agency.government

    assert head.superior is None
    assert head.superior_title.split()[0] in ("Gubernur", "Bupati", "Wali")
    assert head.superior_title.endswith(government.name.split(maxsplit=1)[-1])
    assert head.superior_name and "…" not in head.superior_name
    client.force_login(User.objects.filter(is_superuser=True).first())
    html = client.get(reverse("planning:agreement_print", args=[head.pk])).content.decode()
    assert head.superior_name in html and "……" not in html


def test_signed_pks_were_signed_on_their_effective_date_in_local_time(demo, db):
    signed = PerformanceAgreement.objects.filter(status="signed").select_related(
        "position__agency__government"
    )

    assert signed.count() >= 4 * 6
    for agreement in signed:
        zone = ZoneInfo(agreement.position.agency.government.time_zone)
        assert agreement.signed_at is not None, agreement
        local = agreement.signed_at.astimezone(zone)
        assert (local.date(), local.hour) == (agreement.effective_date, 10), agreement


def test_realisations_cover_tw_i_to_iii_with_every_kind_of_outcome(demo, db):
    realizations: dict[Indicator, dict[int, Decimal | None]] = defaultdict(dict)
    for realization in Realization.objects.filter(year=2025).select_related("indicator"):
        realizations[realization.indicator][realization.quarter] = realization.value
    quarter_targets = {}
    for line in AgreementLine.objects.filter(
        agreement__year=2025, agreement__version=1
    ).prefetch_related("quarterly_targets"):
        for planned in line.quarterly_targets.all():
            quarter_targets[line.indicator_id, planned.quarter] = planned

    on_pk = Indicator.objects.filter(agreement_lines__agreement__year=2025).distinct()
    assert on_pk.count() >= 4 * 12
    for indicator in on_pk:
        assert set(realizations[indicator]) == {1, 2, 3}, indicator
    outcomes = set()
    for indicator, values in realizations.items():
        for quarter, value in values.items():
            target = quarter_targets[indicator.pk, quarter]
            if indicator.polarity == "lower" and value < target.value:
                outcomes.add("lower beats target")
            elif indicator.polarity == "range":
                inside = target.low <= value <= target.high
                outcomes.add("range inside" if inside else "range outside")
            elif indicator.polarity == "higher":
                outcomes.add(
                    "above" if value > target.value else "below" if value < target.value else "on"
                )
    assert outcomes >= {"lower beats target", "range inside", "range outside", "above", "below"}
    ratio = Realization.objects.filter(numerator__isnull=False, denominator__isnull=False).first()
    assert ratio is not None and ratio.denominator > 0


def test_acting_officials_and_teams(demo, db):
    plt = Assignment.objects.get(
        kind="plt", position__agency__code="dinkop-ukm-sulteng", position__code="kabid-kelembagaan"
    )
    plh = Assignment.objects.filter(kind="plh")

    assert plt.end_date is None
    assert plh.exists() and all(a.end_date is not None for a in plh)
    assert User.objects.get(username="kabid.sulteng").employee == plt.employee
    sakip = Team.objects.get(kind="tim_sakip", agency__code="dpmptsp-pematangsiantar")
    lkjip = Team.objects.get(kind="tim_lkjip", agency__code="dinkop-ukm-sulteng")
    for team in (sakip, lkjip):
        assert team.members.filter(role="ketua").count() == 1
        assert team.members.count() >= 5


def test_iki_cascade_from_the_direct_superiors_pk(demo, db):
    iki = IndividualIndicator.objects.select_related("position", "parent_line__agreement")

    assert {i.position.agency.code for i in iki} >= set(SEED_AGENCIES)
    for indicator in iki:
        assert indicator.parent_line.agreement.position_id == indicator.position.superior_id
        assert indicator.parent_line.agreement.year == indicator.year == 2025
    assert iki.filter(employee__nip__regex=r"^\d{12}2").exists()  # a PPPK


def test_every_demo_account_logs_in_with_the_role_it_claims(demo, db, client):
    assert len({account.username for account in demo}) == len(demo) >= 15
    for account in demo:
        assert client.login(username=account.username, password=DEMO_PASSWORD), account
        client.logout()
        user = User.objects.get(username=account.username)
        scope = scope_for(user)
        if account.claim == "superuser":
            assert user.is_superuser
        elif account.claim == "government_admin":
            assert user.administered_government is not None
            assert user.administered_government.code == "72"
            assert scope.admin_government_ids
        elif account.claim in Team.Kind.values:
            assert TeamMember.objects.filter(employee__user=user, team__kind=account.claim).exists()
        else:
            agency = Agency.objects.get(name=account.agency)
            assert account.claim in scope.roles_by_agency[agency.pk], account
            assert user.first_name and user.get_full_name() in user.employee.name


def test_running_it_again_changes_nothing(demo, db):
    before = _row_counts()

    accounts = load_demo()

    assert _row_counts() == before
    assert accounts == demo
    for path in data_files():
        report = planning_import(actor=None, data=json.loads(path.read_text()), dry_run=True)
        assert (report.problems, report.created, report.updated) == ([], {}, {}), path.name


def test_command_prints_the_accounts_unless_quiet(demo, db):
    out, quiet = io.StringIO(), io.StringIO()

    call_command("demo", stdout=out)
    call_command("demo", "--quiet", stdout=quiet)

    assert quiet.getvalue() == ""
    for account in demo:
        assert account.username in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Andi Rahmat Hidayat, S.STP., M.Si.", ("Andi Rahmat", "Hidayat")),
        ("Dr. Ir. Syamsul Arif Taha, M.Si.", ("Syamsul Arif", "Taha")),
        ("Fahrurrazi, S.T.", ("Fahrurrazi", "")),
        ("Hj. Rusmilawati, S.E., M.M.", ("Rusmilawati", "")),
    ],
)
def test_split_name_drops_titles(name, expected):
    assert split_name(name) == expected
