"""Helpers of the workflow tests: a small agency, a small SOP, acting as an assignee."""

from dataclasses import dataclass

from kinerja.organizations.access import UserScope, scope_for
from kinerja.organizations.models import Agency, Employee, OrgUnit, Position, RoleKey
from kinerja.workflow import services
from kinerja.workflow.domain.definition import StepKind
from kinerja.workflow.domain.engine import Outcome
from kinerja.workflow.models import ProcessInstance, SopVersion, Task
from kinerja.workflow.selectors import sop_definition
from tests.factories import AssignmentFactory, OrgUnitFactory, PositionFactory, UserFactory

SYSTEM = UserScope(user_id=None, is_superuser=True)

#: Kepala Dinas orders, the Sekretaris drafts, every Bidang/UPT fills in, the
#: Kasubbag Program checks (Tidak: back to the Sekretaris), the Kepala Dinas signs.
SMALL_SOP = """\
format: kinerja-sop
format_version: 1
code: {code}
agency: {agency}
identity:
  number: "{number}"
  name: {name}
  agency_name: Dinas Uji
actors:
  - {{key: kepala_dinas, label: Kepala Dinas, role_key: kepala_dinas}}
  - {{key: sekretaris, label: Sekretaris, role_key: sekretaris}}
  - {{key: kasubbag_program, label: Kasubbag Program, role_key: kasubbag_program}}
  - {{key: bidang_upt, label: Bidang/UPT, role_key: kepala_bidang, each_unit: true}}
steps:
  - number: 1
    activity: Memerintahkan pengumpulan data
    actor: kepala_dinas
    kind: start
    duration: {{value: "15", unit: menit}}
    outputs: [Disposisi]
  - number: 2
    activity: {activity}
    actor: sekretaris
    duration: {{value: "1", unit: hari}}
    outputs: [Surat Pengantar]
  - number: 3
    activity: Mengisi data kinerja
    actor: bidang_upt
    duration: {{value: "2", unit: hari}}
    outputs: [Data kinerja]
  - number: 4
    activity: Memeriksa rekap data
    actor: kasubbag_program
    kind: decision
    yes: 5
    no: 2
    duration: {{value: "1", unit: jam}}
    outputs: [Rekap]
  - number: 5
    activity: Menandatangani lembar persetujuan
    actor: kepala_dinas
    kind: end
    duration: {{value: "30", unit: menit}}
    outputs: [Lembar Persetujuan]
"""


def small_sop(
    agency: Agency,
    *,
    code: str = "uji-data",
    name: str = "Pengumpulan Data Uji",
    number: str = "001/SOP/2025",
    activity: str = "Menyiapkan kertas kerja",
) -> str:
    return SMALL_SOP.format(
        code=code, agency=agency.code, name=name, number=number, activity=activity
    )


@dataclass
class SmallAgency:
    """An agency with a head, a secretary, a programme kasubbag, two Bidang and a UPT."""

    agency: Agency
    kadis: Employee
    sekretaris: Employee
    kasubbag: Employee
    units: list[OrgUnit]
    unit_heads: list[Employee]
    positions: dict[str, Position]


def small_agency(agency: Agency) -> SmallAgency:
    def seat(code: str, role: str, unit: OrgUnit | None = None, order: int = 0) -> Employee:
        position = PositionFactory(
            agency=agency, code=code, role_key=role, unit=unit, sort_order=order
        )
        positions[code] = position
        return AssignmentFactory(position=position).employee

    positions: dict[str, Position] = {}
    sekretariat = OrgUnitFactory(agency=agency, kind=OrgUnit.Kind.SECRETARIAT, code="sekretariat")
    units = [
        OrgUnitFactory(agency=agency, code="bidang-a", name="Bidang A", sort_order=1),
        OrgUnitFactory(agency=agency, code="bidang-b", name="Bidang B", sort_order=2),
        OrgUnitFactory(
            agency=agency,
            code="upt-c",
            name="UPT C",
            kind=OrgUnit.Kind.TECHNICAL_UNIT,
            sort_order=3,
        ),
    ]
    return SmallAgency(
        agency=agency,
        kadis=seat("kadis", RoleKey.KEPALA_DINAS),
        sekretaris=seat("sekretaris", RoleKey.SEKRETARIS, sekretariat, 1),
        kasubbag=seat("kasubbag-program", RoleKey.KASUBBAG_PROGRAM, sekretariat, 2),
        units=units,
        unit_heads=[
            seat("kabid-a", RoleKey.KEPALA_BIDANG, units[0], 3),
            seat("kabid-b", RoleKey.KEPALA_BIDANG, units[1], 4),
            seat("kupt-c", RoleKey.KEPALA_UPT, units[2], 5),
        ],
        positions=positions,
    )


def import_small_sop(agency: Agency, **kwargs: str) -> SopVersion:
    return services.sop_import(actor=None, text=small_sop(agency, **kwargs))


def scope_of(employee: Employee | None) -> UserScope:
    """The scope of the employee's login (one is made when the employee has none)."""
    assert employee is not None, "the task has no assignee"
    if employee.user is None:
        employee.user = UserFactory()
        employee.save(update_fields=["user"])
    return scope_for(employee.user)


def open_tasks(instance: ProcessInstance) -> list[Task]:
    return list(
        instance.tasks.filter(status=Task.Status.OPEN)
        .select_related("assignee__user")
        .order_by("step_number", "pk")
    )


def complete_as_assignee(task: Task, outcome: Outcome, reason: str = "") -> Task:
    return services.task_complete(
        actor=scope_of(task.assignee), task=task, outcome=outcome, reason=reason
    )


def outcome_for(instance: ProcessInstance, task: Task) -> Outcome:
    """YES at a decision, DONE anywhere else."""
    step = sop_definition(instance.sop).step(task.step_number)
    return Outcome.YES if step.kind is StepKind.DECISION else Outcome.DONE
