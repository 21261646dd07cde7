"""Deterministic benchmark data: agencies with staff, a Renstra, a PK with Rencana Aksi,
last quarter's realisasi, a data collection and its entries.

The organisation and plans are bulk-created (the services would make 10× data
take minutes, and nothing they check matters here); the collection itself is
opened by `collection.services.collection_create` with the agency's own
Pengumpulan Data Kinerja SOP, as a coordinator would, so its worksheets, rows,
targets and data holders are the real ones. Entries and worksheet progress are
bulk-created again, shaped like what `entry_record` and the review services write.

Every choice comes from one `random.Random(seed)`: the same seed builds the same data.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow
from kinerja.collection.services import collection_create
from kinerja.measurement.models import Realization
from kinerja.organizations.access import UserScope, scope_for
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
    Aggregation,
    AgreementLine,
    Indicator,
    Objective,
    PerformanceAgreement,
    Polarity,
    QuarterlyTarget,
    StrategicPlan,
)
from kinerja.sops import SOPS_DIR
from kinerja.workflow.models import SopVersion
from kinerja.workflow.services import sop_import

YEAR = 2025
PERIOD = "tw2"
#: the seed 004 SOP (24 steps, role keys only), imported for each generated agency
SOP_FILE = SOPS_DIR / "dinkop-ukm-sulteng--pengumpulan-data-kinerja.yaml"
SOP_AGENCY_LINE = "agency: dinkop-ukm-sulteng"
#: every generated login has this password (hashed once)
PASSWORD = "bench-2025"

_MEASURES = [
    ("%", "Persentase"),
    ("dokumen", "Jumlah dokumen"),
    ("koperasi", "Jumlah koperasi"),
    ("orang", "Jumlah pelaku usaha"),
    ("indeks", "Indeks"),
]
_TOPICS = [
    "koperasi sehat",
    "UMKM naik kelas",
    "pelatihan vokasi",
    "layanan perizinan",
    "akuntabilitas kinerja",
    "produk ekspor daerah",
    "pasar rakyat tertib",
    "wirausaha baru",
]


@dataclass
class AgencyWorld:
    """One generated agency: its units (not the Sekretariat), who coordinates and who
    holds each unit's data, and its indicators (each with a PK line and Rencana Aksi)."""

    agency: Agency
    units: list[OrgUnit]
    coordinator: User
    holders: dict[int, Employee]
    indicators: list[Indicator]
    collection: Collection | None = None

    @property
    def scope(self) -> UserScope:
        return scope_for(self.coordinator)


@dataclass
class Generator:
    """Builds worlds with codes, usernames and NIPs unique within one database."""

    seed: int = 2025
    rng: random.Random = field(init=False)
    _serial: int = field(init=False)
    _password: str = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        # several worlds share one database: each serial makes one government, agency or
        # employee, so starting from their count never reuses an earlier world's serial
        self._serial = (
            Government.objects.count() + Agency.objects.count() + Employee.objects.count()
        )
        self._password = make_password(PASSWORD)

    def _next(self) -> int:
        self._serial += 1
        return self._serial

    # --- organisation -------------------------------------------------------------------

    def government(self, *, name: str) -> tuple[Government, User]:
        """A regency and its administrator (sees every agency of it)."""
        serial = self._next()
        government = Government.objects.create(
            name=f"{name} {serial}",
            level=Government.Level.REGENCY,
            code=f"b{serial}",
            time_zone=Government.TimeZone.WITA,
            capital="Donggala",
        )
        admin = User.objects.create(
            username=f"admin-{serial}",
            first_name="Admin",
            password=self._password,
            administered_government=government,
        )
        return government, admin

    def _people(self, agency: Agency, seats: list[Position]) -> list[Employee]:
        """One employee with a login for every seat, appointed definitively since 2020."""
        serials = [self._next() for _ in seats]
        users = User.objects.bulk_create(
            User(
                username=f"pegawai-{serial}",
                first_name=f"Pegawai {serial}",
                password=self._password,
            )
            for serial in serials
        )
        employees = Employee.objects.bulk_create(
            Employee(user=user, name=f"Pegawai {serial}, S.E.", nip=f"19800101{serial:010d}")
            for user, serial in zip(users, serials, strict=True)
        )
        Assignment.objects.bulk_create(
            Assignment(employee=employee, position=seat, start_date=datetime.date(2020, 1, 2))
            for employee, seat in zip(employees, seats, strict=True)
        )
        return employees

    def agency(
        self, *, government: Government, units: int, indicators: int, sop: bool = True
    ) -> AgencyWorld:
        """An agency with a Sekretariat, `units` Bidang/UPT (each with a head and a pemegang
        data), a Renstra 2021–2026 with an objective per unit, `indicators` indicators
        spread over the units, a signed PK for YEAR with quarterly targets, TW I realisasi,
        and (with `sop`) its Pengumpulan Data Kinerja SOP."""
        serial = self._next()
        agency = Agency.objects.create(
            government=government,
            name=f"Dinas Bench {serial}",
            short_name=f"DB{serial}",
            code=f"dinas-bench-{serial}",
            kind=Agency.Kind.DINAS,
        )
        sekretariat = OrgUnit.objects.create(
            agency=agency, name="Sekretariat", kind=OrgUnit.Kind.SECRETARIAT, code="sekretariat"
        )
        made_units = OrgUnit.objects.bulk_create(
            OrgUnit(
                agency=agency,
                parent=None,
                name=f"UPT {number}" if number % 6 == 5 else f"Bidang {number}",
                kind=OrgUnit.Kind.TECHNICAL_UNIT if number % 6 == 5 else OrgUnit.Kind.DIVISION,
                code=f"unit-{number}",
                sort_order=number + 1,
            )
            for number in range(units)
        )
        seats = [
            Position(
                agency=agency, code="kadis", title="Kepala Dinas", role_key=RoleKey.KEPALA_DINAS
            ),
            Position(
                agency=agency,
                unit=sekretariat,
                code="sekretaris",
                title="Sekretaris",
                role_key=RoleKey.SEKRETARIS,
            ),
            Position(
                agency=agency,
                unit=sekretariat,
                code="kasubbag-program",
                title="Kepala Sub Bagian Program",
                role_key=RoleKey.KASUBBAG_PROGRAM,
            ),
        ]
        for unit in made_units:
            upt = unit.kind == OrgUnit.Kind.TECHNICAL_UNIT
            seats += [
                Position(
                    agency=agency,
                    unit=unit,
                    code=f"kepala-{unit.code}",
                    title=f"Kepala {unit.name}",
                    role_key=RoleKey.KEPALA_UPT if upt else RoleKey.KEPALA_BIDANG,
                    sort_order=unit.sort_order,
                ),
                Position(
                    agency=agency,
                    unit=unit,
                    code=f"pemegang-data-{unit.code}",
                    title=f"Pemegang Data {unit.name}",
                    role_key=RoleKey.PEMEGANG_DATA,
                    sort_order=unit.sort_order,
                ),
            ]
        seats = Position.objects.bulk_create(seats)
        people = self._people(agency, seats)
        by_seat = dict(zip([seat.code for seat in seats], people, strict=True))
        world = AgencyWorld(
            agency=agency,
            units=made_units,
            coordinator=by_seat["kasubbag-program"].user,  # type: ignore[arg-type]
            holders={unit.pk: by_seat[f"pemegang-data-{unit.code}"] for unit in made_units},
            indicators=[],
        )
        world.indicators = self._plan(
            world, kadis=seats[0], head=by_seat["kadis"], count=indicators
        )
        if sop:
            text = SOP_FILE.read_text().replace(SOP_AGENCY_LINE, f"agency: {agency.code}", 1)
            sop_import(actor=None, text=text, agency=agency)
        return world

    # --- plans --------------------------------------------------------------------------

    def _plan(
        self, world: AgencyWorld, *, kadis: Position, head: Employee, count: int
    ) -> list[Indicator]:
        rng = self.rng
        plan = StrategicPlan.objects.create(
            agency=world.agency, title="Renstra 2021–2026", start_year=2021, end_year=2026
        )
        objectives = Objective.objects.bulk_create(
            Objective(
                plan=plan,
                level=Objective.Level.STRATEGIC,
                code=f"SS-{number + 1}",
                statement=f"Meningkatnya {_TOPICS[number % len(_TOPICS)]}",
                sort_order=number,
            )
            for number in range(len(world.units))
        )
        specs = []
        for number in range(count):
            unit_index = number % len(world.units)
            measure, prefix = _MEASURES[rng.randrange(len(_MEASURES))]
            draw = rng.random()
            polarity = (
                Polarity.RANGE
                if draw < 0.05
                else Polarity.LOWER_IS_BETTER
                if draw < 0.15
                else Polarity.HIGHER_IS_BETTER
            )
            cumulative = measure in {"dokumen", "koperasi", "orang"} and polarity != Polarity.RANGE
            specs.append((number, unit_index, measure, prefix, polarity, cumulative))
        indicators = Indicator.objects.bulk_create(
            Indicator(
                objective=objectives[unit_index],
                code=f"IK-{number + 1:05d}",
                name=f"{prefix} {_TOPICS[number % len(_TOPICS)]} ({number + 1})",
                unit_of_measure=measure,
                polarity=polarity,
                aggregation=Aggregation.CUMULATIVE if cumulative else Aggregation.LAST_VALUE,
                responsible_unit=world.units[unit_index],
                is_key=number % 10 == 0,
                sort_order=number,
            )
            for number, unit_index, measure, prefix, polarity, cumulative in specs
        )
        agreement = PerformanceAgreement.objects.create(
            position=kadis,
            year=YEAR,
            effective_date=datetime.date(YEAR, 1, 2),
            status=PerformanceAgreement.Status.SIGNED,
            holder=head,
            holder_title="Kepala Dinas",
            superior_name="Bupati",
            superior_title="Bupati",
        )
        annual = [self._annual_target(measure) for _n, _u, measure, *_rest in specs]
        lines = AgreementLine.objects.bulk_create(
            AgreementLine(
                agreement=agreement,
                objective=indicator.objective,
                indicator=indicator,
                sort_order=number,
                **_target(indicator.polarity, target),
            )
            for number, (indicator, target) in enumerate(zip(indicators, annual, strict=True))
        )
        QuarterlyTarget.objects.bulk_create(
            QuarterlyTarget(
                line=line,
                quarter=quarter,
                action=f"Kegiatan triwulan {quarter}",
                **_target(
                    indicator.polarity, _quarter_share(target, quarter, indicator.aggregation)
                ),
            )
            for line, indicator, target in zip(lines, indicators, annual, strict=True)
            for quarter in (1, 2, 3, 4)
        )
        Realization.objects.bulk_create(
            Realization(
                indicator=indicator,
                year=YEAR,
                quarter=1,
                value=self.near(_quarter_share(target, 1, indicator.aggregation)),
                source=Realization.Source.IMPORT,
            )
            for indicator, target in zip(indicators, annual, strict=True)
        )
        return indicators

    def _annual_target(self, measure: str) -> Decimal:
        if measure == "%":
            return Decimal(self.rng.randrange(60, 96))
        if measure == "indeks":
            return Decimal(self.rng.randrange(250, 400)) / 100
        return Decimal(self.rng.randrange(4, 400))

    def near(self, target: Decimal) -> Decimal:
        """A realisasi within −40 %…+25 % of the target, two decimals."""
        factor = Decimal(self.rng.randrange(60, 126)) / 100
        return (target * factor).quantize(Decimal("0.01"))

    # --- the collection -----------------------------------------------------------------

    def collection(self, world: AgencyWorld, *, period: str = PERIOD) -> Collection:
        """Open the agency's collection as its coordinator does (with its SOP if imported)."""
        sop = SopVersion.objects.filter(agency=world.agency).order_by("-version").first()
        world.collection = collection_create(
            actor=world.scope, agency=world.agency, year=YEAR, period=period, sop=sop
        )
        return world.collection

    def entries(self, world: AgencyWorld, *, filled: float = 1.0, corrected: float = 0.2) -> int:
        """Give `filled` of the rows a value entered by their data holder; `corrected` of
        those get a second version. How many entries were written."""
        assert world.collection is not None
        rows = WorksheetRow.objects.filter(worksheet__collection=world.collection).select_related(
            "data_holder"
        )
        entries = []
        for row in rows.order_by("pk"):
            if self.rng.random() >= filled:
                continue
            target = row.target_value or row.target_high or Decimal(1)
            user_id = row.data_holder.user_id if row.data_holder else None
            versions = 2 if self.rng.random() < corrected else 1
            for version in range(1, versions + 1):
                entries.append(
                    Entry(
                        row=row,
                        version=version,
                        value=self.near(target),
                        analysis="Capaian sesuai rencana aksi triwulan." if version > 1 else "",
                        obstacles="Keterbatasan anggaran." if self.rng.random() < 0.3 else "",
                        follow_up="Koordinasi dengan bidang terkait." if version > 1 else "",
                        entered_by_id=user_id,
                        submission_no=1,
                    )
                )
        Entry.objects.bulk_create(entries, batch_size=2000)
        return len(entries)

    def progress(self, world: AgencyWorld, *, approved: float, submitted: float) -> None:
        """Move `approved` of the worksheets to approved and `submitted` more to submitted,
        some on time and some late, as the review services would leave them."""
        assert world.collection is not None
        worksheets = list(Worksheet.objects.filter(collection=world.collection).order_by("pk"))
        for worksheet in worksheets:
            draw = self.rng.random()
            if draw >= approved + submitted:
                continue
            late = self.rng.random() < 0.25
            at = worksheet.deadline + datetime.timedelta(hours=30 if late else -20)
            worksheet.status = (
                Worksheet.Status.APPROVED if draw < approved else Worksheet.Status.SUBMITTED
            )
            worksheet.first_submitted_at = worksheet.submitted_at = min(at, timezone.now())
            worksheet.submission_count = 1
            worksheet.revision += 4 if draw < approved else 1
        Worksheet.objects.bulk_update(
            worksheets,
            ["status", "first_submitted_at", "submitted_at", "submission_count", "revision"],
        )


def _target(polarity: str, target: Decimal) -> dict[str, Decimal | None]:
    """A single target, or a ±10 % range for a range indicator."""
    if polarity == Polarity.RANGE:
        spread = (target / 10).quantize(Decimal("0.01"))
        return {"value": None, "low": target - spread, "high": target + spread}
    return {"value": target, "low": None, "high": None}


def _quarter_share(target: Decimal, quarter: int, aggregation: str) -> Decimal:
    """A quarter's target: a quarter of the amount when quarters add up, else the path
    towards the year's value (25 %, 50 %, 75 %, 100 %)."""
    if aggregation == Aggregation.CUMULATIVE:
        return (target / 4).quantize(Decimal("0.01"))
    return (target * quarter / 4).quantize(Decimal("0.01"))
