"""factory_boy factories for the models every test needs; build a small agency quickly."""

import datetime
from decimal import Decimal

import factory

from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    Government,
    OrgUnit,
    Position,
    RoleKey,
    User,
)
from kinerja.planning.models import (
    AgreementLine,
    AnnualTarget,
    Goal,
    Indicator,
    Objective,
    PerformanceAgreement,
    QuarterlyTarget,
    StrategicPlan,
)


class GovernmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Government

    name = factory.Sequence(lambda n: f"Provinsi Uji {n}")
    level = Government.Level.PROVINCE
    code = factory.Sequence(lambda n: f"9{n:03d}")
    time_zone = Government.TimeZone.WITA
    capital = "Palu"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    government = factory.SubFactory(GovernmentFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"DU{n}")
    code = factory.Sequence(lambda n: f"dinas-uji-{n}")
    kind = Agency.Kind.DINAS


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Bidang {n}")
    kind = OrgUnit.Kind.DIVISION
    code = factory.Sequence(lambda n: f"bidang-{n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"jabatan-{n}")
    title = factory.Sequence(lambda n: f"Jabatan {n}")
    role_key = RoleKey.STAF


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Pengguna {n}")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Pegawai {n}")
    nip = factory.Sequence(lambda n: f"19800101200501{1 + n % 2}{(n % 999) + 1:03d}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    employee = factory.SubFactory(EmployeeFactory)
    position = factory.SubFactory(PositionFactory)
    kind = Assignment.Kind.DEFINITIVE
    start_date = datetime.date(2020, 1, 1)


def staff(*, agency: Agency, role_key: str, unit: OrgUnit | None = None, **kwargs) -> User:
    """A user holding a position with `role_key` in `agency` (and `unit`) from 2020 on."""
    position = PositionFactory(agency=agency, unit=unit, role_key=role_key, **kwargs)
    assignment = AssignmentFactory(position=position)
    return assignment.employee.user


class StrategicPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicPlan

    agency = factory.SubFactory(AgencyFactory)
    title = "Renstra"
    start_year = 2021
    end_year = 2026


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(StrategicPlanFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    statement = "Meningkatnya daya saing koperasi dan UMKM"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(StrategicPlanFactory)
    goal = None
    level = Objective.Level.STRATEGIC
    code = factory.Sequence(lambda n: f"S{n}")
    statement = "Meningkatnya koperasi yang sehat"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: f"IK{n}")
    name = factory.Sequence(lambda n: f"Persentase koperasi sehat {n}")
    unit_of_measure = "%"


class AnnualTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    value = Decimal("80")


class PerformanceAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceAgreement

    position = factory.SubFactory(PositionFactory)
    year = 2025
    effective_date = datetime.date(2025, 1, 2)
    holder = factory.SubFactory(EmployeeFactory)
    holder_title = factory.LazyAttribute(lambda o: o.position.title)


class AgreementLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementLine

    agreement = factory.SubFactory(PerformanceAgreementFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    objective = factory.LazyAttribute(lambda o: o.indicator.objective)
    value = Decimal("80")


class QuarterlyTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyTarget

    line = factory.SubFactory(AgreementLineFactory)
    quarter = 1
    value = Decimal("20")
