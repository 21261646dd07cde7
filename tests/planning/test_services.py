"""Planning writes: indicators, PK lifecycle (draft → signed → Perubahan), Rencana Aksi, IKI."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.planning import services
from kinerja.planning.models import (
    Aggregation,
    AgreementLine,
    PerformanceAgreement,
    Polarity,
    QuarterlyTarget,
)
from tests.factories import (
    AssignmentFactory,
    EmployeeFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OrgUnitFactory,
)
from tests.planning.world import (
    GOVERNOR,
    YEAR,
    build_world,
    draft_agreement,
    fill_quarters,
    head_agreement,
    seen,
    signed_agreement,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency):
    return build_world(agency)


def indicator_data(world, **overrides):
    values = {
        "objective": world.objective,
        "code": "IK9",
        "name": "Jumlah UMKM naik kelas",
        "unit_of_measure": "UMKM",
        "polarity": Polarity.HIGHER_IS_BETTER,
        "aggregation": Aggregation.CUMULATIVE,
        "responsible_unit": world.unit,
    }
    return services.IndicatorData(**(values | overrides))


def changes_of(instance):
    return list(
        ChangeRecord.objects.filter(
            model=instance._meta.model_name, object_id=str(instance.pk)
        ).values_list("action", flat=True)
    )


class TestIndicators:
    def test_a_planner_creates_an_indicator_with_its_rules_and_a_change_record(self, world):
        indicator = services.indicator_create(actor=world.planner_scope, data=indicator_data(world))

        assert (indicator.polarity, indicator.aggregation) == ("higher", "cumulative")
        assert changes_of(indicator) == ["create"]

    def test_a_unit_head_may_not_create_indicators(self, world):
        with pytest.raises(AccessDenied):
            services.indicator_create(actor=world.unit_head_scope, data=indicator_data(world))

    def test_a_duplicate_code_names_the_code_field(self, world):
        with pytest.raises(ValidationFailed) as caught:
            services.indicator_create(
                actor=world.planner_scope, data=indicator_data(world, code="IK1")
            )
        assert "IK1" in caught.value.errors["code"][0]

    def test_a_unit_of_another_agency_is_refused(self, world, other_agency):
        foreign = OrgUnitFactory(agency=other_agency)
        with pytest.raises(ValidationFailed) as caught:
            services.indicator_create(
                actor=world.planner_scope, data=indicator_data(world, responsible_unit=foreign)
            )
        assert "responsible_unit" in caught.value.errors

    def test_update_records_old_and_new_values(self, world):
        data = indicator_data(world, code="IK1", name="Jumlah koperasi yang dibina dan diawasi")
        services.indicator_update(actor=world.planner_scope, indicator=world.cumulative, data=data)

        record = ChangeRecord.objects.get(
            model="indicator", object_id=str(world.cumulative.pk), action="update"
        )
        assert record.changes["name"] == {
            "old": "Jumlah koperasi yang dibina",
            "new": "Jumlah koperasi yang dibina dan diawasi",
        }

    def test_aggregation_is_frozen_once_a_signed_pk_uses_the_indicator(self, world):
        signed_agreement(world)
        data = indicator_data(world, code="IK1", name=world.cumulative.name, aggregation="last")

        with pytest.raises(ValidationFailed) as caught:
            services.indicator_update(
                actor=world.planner_scope, indicator=world.cumulative, data=data
            )
        assert "aggregation" in caught.value.errors
        world.cumulative.refresh_from_db()
        assert world.cumulative.aggregation == Aggregation.CUMULATIVE

    def test_annual_target_outside_the_renstra_names_the_year(self, world):
        with pytest.raises(ValidationFailed) as caught:
            services.annual_target_set(
                actor=world.planner_scope, indicator=world.cumulative, year=2030, value=D("5")
            )
        assert "year" in caught.value.errors

    def test_a_range_indicator_needs_both_bounds_and_no_single_value(self, world):
        with pytest.raises(ValidationFailed) as caught:
            services.annual_target_set(
                actor=world.planner_scope, indicator=world.ranged, year=YEAR, value=D("5")
            )
        assert set(caught.value.errors) == {"value", "low"}

        target = services.annual_target_set(
            actor=world.planner_scope, indicator=world.ranged, year=YEAR, low=D("2"), high=D("5")
        )
        assert (target.low, target.high, target.value) == (D("2"), D("5"), None)

    def test_changing_an_annual_target_keeps_the_old_value_in_the_record(self, world):
        services.annual_target_set(
            actor=world.planner_scope, indicator=world.cumulative, year=YEAR, value=D("90")
        )
        target = services.annual_target_set(
            actor=world.planner_scope,
            indicator=world.cumulative,
            year=YEAR,
            value=D("95.5"),
        )
        record = ChangeRecord.objects.get(
            model="annualtarget", object_id=str(target.pk), action="update"
        )
        assert record.changes["value"] == {"old": "90.0000", "new": "95.5"}


class TestAgreementCreate:
    def test_the_parties_are_the_holders_on_the_effective_date(self, world):
        agreement = draft_agreement(world)

        assert agreement.holder == world.unit_head
        assert agreement.holder_title == "Kepala Bidang Koperasi"
        assert agreement.superior == world.head
        assert agreement.superior_title == "Kepala Dinas"
        assert agreement.place == world.agency.government.capital
        assert (agreement.status, agreement.version) == ("draft", 1)

    def test_an_acting_superior_signs_with_plt_before_the_title(self, world):
        world.head.assignments.update(end_date=datetime.date(2024, 12, 31))
        acting = EmployeeFactory(name="Drs. Hasan")
        AssignmentFactory(
            employee=acting,
            position=world.head_position,
            kind="plt",
            start_date=datetime.date(2025, 1, 1),
        )

        agreement = draft_agreement(world)

        assert agreement.superior == acting
        assert agreement.superior_title == "Plt. Kepala Dinas"

    def test_a_vacant_position_cannot_get_a_pk(self, world):
        world.unit_head.assignments.update(end_date=datetime.date(2024, 12, 31))
        with pytest.raises(ValidationFailed) as caught:
            draft_agreement(world)
        assert "Kepala Bidang Koperasi" in caught.value.errors["position"][0]

    def test_a_second_pk_for_the_same_position_and_year_is_refused(self, world):
        draft_agreement(world)
        with pytest.raises(ValidationFailed) as caught:
            draft_agreement(world)
        assert "position" in caught.value.errors

    def test_the_effective_date_must_fall_in_the_year(self, world):
        with pytest.raises(ValidationFailed) as caught:
            services.agreement_create(
                actor=world.planner_scope,
                position=world.unit_head_position,
                year=YEAR,
                effective_date=datetime.date(YEAR - 1, 12, 30),
            )
        assert "effective_date" in caught.value.errors

    def test_only_planners_create_pks(self, world):
        with pytest.raises(AccessDenied):
            services.agreement_create(
                actor=world.unit_head_scope,
                position=world.unit_head_position,
                year=YEAR,
                effective_date=datetime.date(YEAR, 1, 2),
            )


class TestExternalSecondParty:
    """The head of the agency's PK: the Gubernur/Bupati/Wali Kota is the second party."""

    def create(self, world, party, position=None):
        return services.agreement_create(
            actor=world.planner_scope,
            position=position or world.head_position,
            year=YEAR,
            effective_date=datetime.date(YEAR, 1, 2),
            external_party=party,
        )

    def test_the_head_of_agency_gets_the_regional_head_as_second_party(self, world):
        agreement = self.create(
            world,
            services.ExternalParty(
                name="  Drs. H. Abdul Rahman Tahir, M.Si. ",
                title="Gubernur Sulawesi Tengah ",
                nip="19650817 199003 1 004",
            ),
        )

        assert agreement.superior is None
        assert agreement.superior_title == "Gubernur Sulawesi Tengah"
        assert agreement.superior_name == "Drs. H. Abdul Rahman Tahir, M.Si."
        assert agreement.superior_nip == "196508171990031004"
        record = ChangeRecord.objects.get(model="performanceagreement", action="create")
        assert record.changes["superior_name"]["new"] == "Drs. H. Abdul Rahman Tahir, M.Si."

    def test_the_nip_is_optional_and_a_title_alone_is_allowed(self, world):
        agreement = self.create(world, services.ExternalParty(title="Gubernur Sulawesi Tengah"))

        assert (agreement.superior_title, agreement.superior_name, agreement.superior_nip) == (
            "Gubernur Sulawesi Tengah",
            "",
            "",
        )

    def test_a_position_with_a_superior_in_kinerja_takes_no_external_party(self, world):
        with pytest.raises(ValidationFailed) as caught:
            self.create(world, GOVERNOR, position=world.unit_head_position)

        assert "Kepala Dinas" in caught.value.errors["superior_name"][0]
        assert not PerformanceAgreement.objects.exists()

    @pytest.mark.parametrize(
        ("party", "field"),
        [
            (services.ExternalParty(name="Drs. H. Abdul Rahman Tahir"), "superior_title"),
            (services.ExternalParty(title="Gubernur", nip="196508171990031004"), "superior_name"),
            (
                services.ExternalParty(name="A", title="Gubernur", nip="1965081719900310"),
                "superior_nip",
            ),
            (
                services.ExternalParty(name="A", title="Gubernur", nip="196513171990031004"),
                "superior_nip",
            ),
        ],
    )
    def test_an_incomplete_or_wrong_entry_names_the_field(self, world, party, field):
        with pytest.raises(ValidationFailed) as caught:
            self.create(world, party)

        assert list(caught.value.errors) == [field]
        assert not PerformanceAgreement.objects.exists()


class TestAgreementContent:
    def test_an_indicator_of_another_agency_is_refused(self, world, other_agency):
        agreement = draft_agreement(world)
        foreign = IndicatorFactory(objective=ObjectiveFactory(plan__agency=other_agency))
        with pytest.raises(ValidationFailed) as caught:
            services.agreement_line_add(
                actor=world.planner_scope, agreement=agreement, indicator=foreign, value=D("1")
            )
        assert "indicator" in caught.value.errors

    def test_the_same_indicator_twice_is_refused(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        with pytest.raises(ValidationFailed) as caught:
            services.agreement_line_add(
                actor=world.planner_scope,
                agreement=agreement,
                indicator=world.cumulative,
                value=D("5"),
            )
        assert "indicator" in caught.value.errors

    def test_the_unit_head_drafts_the_content_of_the_own_units_pk(self, world):
        agreement = draft_agreement(world)
        line = services.agreement_line_add(
            actor=world.unit_head_scope,
            agreement=agreement,
            indicator=world.cumulative,
            value=D("100"),
        )
        assert line.objective == world.cumulative.objective

    def test_another_units_head_and_a_staff_member_may_not(self, world):
        agreement = draft_agreement(world)
        for scope in (world.other_unit_head_scope, world.reader_scope):
            with pytest.raises(AccessDenied):
                services.agreement_line_add(
                    actor=scope, agreement=agreement, indicator=world.cumulative, value=D("1")
                )

    def test_a_negative_budget_names_the_budget(self, world):
        agreement = draft_agreement(world)
        with pytest.raises(ValidationFailed) as caught:
            services.agreement_program_add(
                actor=world.planner_scope, agreement=agreement, name="Program", budget=D("-1")
            )
        assert "budget" in caught.value.errors


class TestQuarterlyTargets:
    def test_a_cell_is_saved_with_its_change_record(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        line = agreement.lines.get()

        cell = services.quarterly_target_set(
            actor=world.unit_head_scope, line=line, quarter=2, value=D("1234.5"), seen=seen(None)
        )

        assert cell.value == D("1234.5")
        assert changes_of(cell) == ["create"]

    def test_a_stale_cell_is_a_conflict_that_says_what_it_is_now(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        line = agreement.lines.get()
        services.quarterly_target_set(
            actor=world.planner_scope, line=line, quarter=1, value=D("10")
        )
        # Another user opened the cell when it was still 10 and someone made it 15 meanwhile.
        services.quarterly_target_set(
            actor=world.unit_head_scope, line=line, quarter=1, value=D("15"), seen=seen("10")
        )

        with pytest.raises(Conflict) as caught:
            services.quarterly_target_set(
                actor=world.planner_scope, line=line, quarter=1, value=D("12"), seen=seen("10")
            )
        assert "15" in caught.value.message
        assert QuarterlyTarget.objects.get(line=line, quarter=1).value == D("15")

    def test_saving_the_value_it_already_has_is_not_a_conflict(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        line = agreement.lines.get()
        services.quarterly_target_set(
            actor=world.planner_scope, line=line, quarter=1, value=D("15")
        )

        cell = services.quarterly_target_set(
            actor=world.planner_scope, line=line, quarter=1, value=D("15"), seen=seen("10")
        )
        assert cell.value == D("15")

    def test_a_negative_target_names_the_value_and_saves_nothing(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        with pytest.raises(ValidationFailed) as caught:
            services.quarterly_target_set(
                actor=world.planner_scope, line=agreement.lines.get(), quarter=1, value=D("-1")
            )
        assert "value" in caught.value.errors
        assert not QuarterlyTarget.objects.exists()

    def test_an_empty_cell_clears_the_target_but_keeps_the_row(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        line = agreement.lines.get()
        services.quarterly_target_set(actor=world.planner_scope, line=line, quarter=3, value=D("7"))

        services.quarterly_target_set(actor=world.planner_scope, line=line, quarter=3)

        assert QuarterlyTarget.objects.get(line=line, quarter=3).value is None

    def test_a_read_only_user_may_not_set_a_cell(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        with pytest.raises(AccessDenied):
            services.quarterly_target_set(
                actor=world.reader_scope, line=agreement.lines.get(), quarter=1, value=D("1")
            )


class TestSigning:
    def test_cumulative_quarters_that_do_not_add_up_block_the_signature(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        fill_quarters(world, agreement.lines.get(), ["10", "20", "30", "30"])

        with pytest.raises(ValidationFailed) as caught:
            services.agreement_sign(actor=world.planner_scope, agreement=agreement)

        message = caught.value.message
        assert "IK1" in message and "Jumlah koperasi yang dibina" in message
        assert "90" in message and "100" in message
        agreement.refresh_from_db()
        assert agreement.status == PerformanceAgreement.Status.DRAFT

    def test_a_last_value_indicator_needs_tw_iv_equal_to_the_year(self, world):
        agreement = draft_agreement(world, lines={world.last_value: D("80")})
        fill_quarters(world, agreement.lines.get(), ["20", "40", "60", "75"])

        with pytest.raises(ValidationFailed) as caught:
            services.agreement_sign(actor=world.planner_scope, agreement=agreement)

        message = caught.value.message
        assert "IK2" in message and "TW IV" in message and "75" in message and "80" in message

    def test_missing_quarters_are_named(self, world):
        agreement = draft_agreement(world, lines={world.cumulative: D("100")})
        services.quarterly_target_set(
            actor=world.planner_scope, line=agreement.lines.get(), quarter=1, value=D("100")
        )
        with pytest.raises(ValidationFailed) as caught:
            services.agreement_sign(actor=world.planner_scope, agreement=agreement)
        assert "TW II, TW III, TW IV" in caught.value.message

    def test_an_empty_pk_cannot_be_signed(self, world):
        with pytest.raises(ValidationFailed):
            services.agreement_sign(actor=world.planner_scope, agreement=draft_agreement(world))

    def test_a_consistent_pk_is_signed_once(self, world):
        agreement = signed_agreement(world)

        assert agreement.status == PerformanceAgreement.Status.SIGNED
        assert "sign" in changes_of(agreement)
        with pytest.raises(Conflict):
            services.agreement_sign(actor=world.planner_scope, agreement=agreement)

    def test_signing_records_when_to_the_second(self, world):
        moment = datetime.datetime(YEAR, 1, 27, 2, 15, 30, 123456, tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False):
            agreement = signed_agreement(world)

        agreement.refresh_from_db()
        assert agreement.signed_at == moment.replace(microsecond=0)
        record = ChangeRecord.objects.get(model="performanceagreement", action="sign")
        assert record.changes["signed_at"] == {"old": None, "new": "2025-01-27T02:15:30+00:00"}

    def test_a_draft_has_no_signing_time(self, world):
        assert draft_agreement(world).signed_at is None

    def test_the_unit_head_may_not_sign(self, world):
        agreement = draft_agreement(world, lines={world.last_value: D("80")})
        with pytest.raises(AccessDenied):
            services.agreement_sign(actor=world.unit_head_scope, agreement=agreement)

    def test_a_signed_pk_is_immutable(self, world):
        agreement = signed_agreement(world)
        line = agreement.lines.first()
        scope = world.planner_scope
        attempts = [
            lambda: services.agreement_line_add(
                actor=scope, agreement=agreement, indicator=world.ranged, low=D("1"), high=D("2")
            ),
            lambda: services.agreement_line_update(actor=scope, line=line, value=D("1")),
            lambda: services.agreement_program_add(
                actor=scope, agreement=agreement, name="Baru", budget=D("1")
            ),
            lambda: services.quarterly_target_set(actor=scope, line=line, quarter=1, value=D("1")),
        ]
        for attempt in attempts:
            with pytest.raises(Conflict):
                attempt()
        line.refresh_from_db()
        assert line.value == D("100")
        assert agreement.lines.count() == 2 and agreement.programs.count() == 1


class TestRevision:
    def test_a_revision_copies_the_signed_version_and_keeps_it_unchanged(self, world):
        old = signed_agreement(world)
        old_updated = PerformanceAgreement.objects.get(pk=old.pk).updated_at

        new = services.agreement_revise(
            actor=world.planner_scope,
            agreement=old,
            effective_date=datetime.date(YEAR, 7, 1),
            reason="Refocusing anggaran",
        )

        assert (new.version, new.status, new.supersedes_id) == (2, "draft", old.pk)
        assert new.revision_reason == "Refocusing anggaran"
        assert [(li.indicator_id, li.value) for li in new.lines.all()] == [
            (li.indicator_id, li.value) for li in old.lines.all()
        ]
        new_quarters = QuarterlyTarget.objects.filter(line__agreement=new).count()
        assert new_quarters == 8
        assert new.programs.get().budget == D("1250000000")
        old.refresh_from_db()
        assert old.status == "signed" and old.updated_at == old_updated
        assert QuarterlyTarget.objects.filter(line__agreement=old).count() == 8

    def test_changing_the_revision_leaves_the_old_version_alone(self, world):
        old = signed_agreement(world)
        new = services.agreement_revise(
            actor=world.planner_scope,
            agreement=old,
            effective_date=datetime.date(YEAR, 7, 1),
            reason="Target baru",
        )
        new_line = new.lines.get(indicator=world.cumulative)
        services.agreement_line_update(actor=world.planner_scope, line=new_line, value=D("120"))

        assert AgreementLine.objects.get(agreement=old, indicator=world.cumulative).value == D(
            "100"
        )

    def test_the_reason_is_mandatory_and_the_date_must_be_later(self, world):
        old = signed_agreement(world)
        with pytest.raises(ValidationFailed) as caught:
            services.agreement_revise(
                actor=world.planner_scope,
                agreement=old,
                effective_date=datetime.date(YEAR, 1, 1),
                reason=" ",
            )
        assert set(caught.value.errors) == {"reason", "effective_date"}

    def test_a_version_is_revised_only_once_and_a_draft_not_at_all(self, world):
        old = signed_agreement(world)
        services.agreement_revise(
            actor=world.planner_scope,
            agreement=old,
            effective_date=datetime.date(YEAR, 7, 1),
            reason="A",
        )
        with pytest.raises(Conflict):
            services.agreement_revise(
                actor=world.planner_scope,
                agreement=old,
                effective_date=datetime.date(YEAR, 8, 1),
                reason="B",
            )
        with pytest.raises(ValidationFailed):
            services.agreement_revise(
                actor=world.planner_scope,
                agreement=draft_agreement(world, position=world.other_unit_head_position),
                effective_date=datetime.date(YEAR, 8, 1),
                reason="C",
            )

    def test_the_revision_is_signed_by_whoever_holds_the_position_then(self, world):
        old = signed_agreement(world)
        world.unit_head.assignments.update(end_date=datetime.date(YEAR, 6, 30))
        successor = EmployeeFactory(name="Wayan Sudarma")
        AssignmentFactory(
            employee=successor,
            position=world.unit_head_position,
            kind="plh",
            start_date=datetime.date(YEAR, 7, 1),
        )

        new = services.agreement_revise(
            actor=world.planner_scope,
            agreement=old,
            effective_date=datetime.date(YEAR, 7, 1),
            reason="Mutasi",
        )

        assert new.holder == successor and new.holder_title == "Plh. Kepala Bidang Koperasi"
        old.refresh_from_db()
        assert old.holder == world.unit_head

    def revise(self, world, agreement, **kwargs):
        return services.agreement_revise(
            actor=world.planner_scope,
            agreement=agreement,
            effective_date=datetime.date(YEAR, 7, 1),
            reason="Perubahan APBD",
            **kwargs,
        )

    def test_a_revision_is_a_draft_not_yet_signed(self, world):
        new = self.revise(world, signed_agreement(world))

        assert new.signed_at is None

    def test_a_revision_of_the_heads_pk_keeps_the_external_second_party(self, world):
        party = services.ExternalParty(
            name=GOVERNOR.name, title=GOVERNOR.title, nip="196508171990031004"
        )
        old = head_agreement(world, party=party)

        new = self.revise(world, old)

        assert new.superior is None
        assert (new.superior_title, new.superior_name, new.superior_nip) == (
            "Gubernur Sulawesi Tengah",
            "Drs. H. Abdul Rahman Tahir, M.Si.",
            "196508171990031004",
        )

    def test_a_revision_may_name_a_new_regional_head(self, world):
        old = head_agreement(world)
        acting = services.ExternalParty(name="Ir. Hamdan Latjuba", title="Pj. Gubernur")

        new = self.revise(world, old, external_party=acting)

        assert (new.superior_title, new.superior_name) == ("Pj. Gubernur", "Ir. Hamdan Latjuba")
        old.refresh_from_db()
        assert old.superior_name == GOVERNOR.name

    def test_a_revision_with_a_superior_in_kinerja_refuses_an_external_party(self, world):
        old = signed_agreement(world)

        with pytest.raises(ValidationFailed) as caught:
            self.revise(world, old, external_party=GOVERNOR)

        assert "superior_name" in caught.value.errors
        assert PerformanceAgreement.objects.count() == 1


class TestIndividualIndicators:
    def iki_data(self, world, line, **overrides):
        values = {
            "employee": world.staff_member,
            "position": world.staff_position,
            "parent_line": line,
            "name": "Jumlah koperasi yang diawasi",
            "unit_of_measure": "koperasi",
            "value": D("25"),
        }
        return services.IndividualIndicatorData(**(values | overrides))

    def test_the_unit_head_cascades_an_iki_from_the_own_pk(self, world):
        line = signed_agreement(world).lines.get(indicator=world.cumulative)

        iki = services.individual_indicator_create(
            actor=world.unit_head_scope, data=self.iki_data(world, line)
        )

        assert (iki.year, iki.employee, iki.parent_line) == (YEAR, world.staff_member, line)
        assert changes_of(iki) == ["create"]

    def test_the_parent_line_must_be_from_the_direct_superiors_pk(self, world):
        head_pk = draft_agreement(
            world, position=world.head_position, lines={world.cumulative: D("100")}
        )
        with pytest.raises(ValidationFailed) as caught:
            services.individual_indicator_create(
                actor=world.planner_scope, data=self.iki_data(world, head_pk.lines.get())
            )
        assert "Kepala Bidang Koperasi" in caught.value.errors["parent_line"][0]

    def test_the_employee_must_hold_the_position(self, world):
        line = signed_agreement(world).lines.get(indicator=world.cumulative)
        with pytest.raises(ValidationFailed) as caught:
            services.individual_indicator_create(
                actor=world.planner_scope, data=self.iki_data(world, line, employee=world.head)
            )
        assert "employee" in caught.value.errors

    def test_another_units_head_and_the_staff_member_may_not_write(self, world):
        line = signed_agreement(world).lines.get(indicator=world.cumulative)
        for scope in (world.other_unit_head_scope, world.reader_scope):
            with pytest.raises(AccessDenied):
                services.individual_indicator_create(actor=scope, data=self.iki_data(world, line))

    def test_update_records_the_change(self, world):
        line = signed_agreement(world).lines.get(indicator=world.cumulative)
        iki = services.individual_indicator_create(
            actor=world.unit_head_scope, data=self.iki_data(world, line)
        )

        services.individual_indicator_update(
            actor=world.planner_scope,
            individual_indicator=iki,
            data=self.iki_data(world, line, value=D("30")),
        )

        iki.refresh_from_db()
        assert iki.value == D("30")
        assert changes_of(iki) == ["create", "update"]
