"""A small agency running a four-step SOP with a decision, for the inbox, process and SLA tests.

Kepala Dinas orders (15 menit) → Sekretaris drafts (1 hari) → Kepala Dinas checks
(decision, 2 jam: Ya → 4, Tidak → back to 2) → Kepala Dinas signs (end, 30 menit).
The Sekretaris's position reports to the Kepala Dinas (escalations go there).
The government is in WITA, working Monday–Friday 08:00–12:00 and 13:00–17:00.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kinerja.organizations.access import UserScope, scope_for
from kinerja.organizations.models import Agency, Position, RoleKey, User
from kinerja.workflow.models import ProcessInstance, SopVersion, Task
from kinerja.workflow.services import instance_start, sop_import, task_complete
from tests.factories import AgencyFactory, AssignmentFactory, EmployeeFactory, PositionFactory

WITA = ZoneInfo("Asia/Makassar")
#: Monday 3 March 2025, 09:00 WITA
MONDAY_9 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=WITA)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of March 2025 in WITA (3 March is a Monday)."""
    return datetime.datetime(2025, 3, day, hour, minute, tzinfo=WITA)


SOP_YAML = """
format: kinerja-sop
format_version: 1
code: uji-alur
agency: {agency}
identity:
  number: "001/UJI/2025"
  name: Penyusunan Laporan Uji
  agency_name: Dinas Uji
actors:
  - {{key: kepala_dinas, label: Kepala Dinas, role_key: kepala_dinas}}
  - {{key: sekretaris, label: Sekretaris, role_key: {drafter_role}}}
steps:
  - number: 1
    activity: Memerintahkan penyusunan laporan
    actor: kepala_dinas
    kind: start
    duration: {{value: "15", unit: menit}}
    outputs: [Disposisi]
  - number: 2
    activity: Menyusun draft laporan
    actor: sekretaris
    kind: task
    inputs: [Disposisi]
    duration: {{value: "1", unit: hari}}
    outputs: [Draft Laporan]
  - number: 3
    activity: Memeriksa draft laporan
    actor: kepala_dinas
    kind: decision
    inputs: [Draft Laporan]
    duration: {{value: "2", unit: jam}}
    yes: 4
    no: 2
  - number: 4
    activity: Menandatangani laporan
    actor: kepala_dinas
    kind: end
    duration: {{value: "30", unit: menit}}
    outputs: [Laporan]
"""


@dataclass
class World:
    agency: Agency
    sop: SopVersion
    kadis: User
    sekretaris: User
    kadis_position: Position
    sekretaris_position: Position

    def scope(self, user: User) -> UserScope:
        return scope_for(user, day=datetime.date(2025, 3, 3))

    def start(self, subject: str = "Laporan 2025") -> ProcessInstance:
        return instance_start(
            actor=self.scope(self.kadis), sop=self.sop, subject=subject, year=2025
        )

    def complete(self, user: User, task: Task, outcome: str = "done", reason: str = "") -> Task:
        return task_complete(actor=self.scope(user), task=task, outcome=outcome, reason=reason)


def holder(position: Position, *, email: str = "", with_user: bool = True, **kwargs) -> User | None:
    employee = EmployeeFactory(email=email, **({} if with_user else {"user": None}))
    AssignmentFactory(employee=employee, position=position, **kwargs)
    return employee.user


def build_world(agency: Agency | None = None, *, drafter_role: str = RoleKey.SEKRETARIS) -> World:
    """The agency and its SOP; `drafter_role` is the role of step 2's actor (a planner role
    by default, `RoleKey.STAF` for a drafter who only sees their own work)."""
    agency = agency or AgencyFactory()
    kadis_position = PositionFactory(
        agency=agency, code="kadis", title="Kepala Dinas Uji", role_key=RoleKey.KEPALA_DINAS
    )
    sekretaris_position = PositionFactory(
        agency=agency,
        code="sekretaris",
        title="Sekretaris",
        role_key=drafter_role,
        superior=kadis_position,
    )
    kadis = holder(kadis_position, email="kadis@example.test")
    sekretaris = holder(sekretaris_position, email="sekretaris@example.test")
    assert kadis is not None and sekretaris is not None
    sop = sop_import(
        actor=None, text=SOP_YAML.format(agency=agency.code, drafter_role=drafter_role)
    )
    return World(
        agency=agency,
        sop=sop,
        kadis=kadis,
        sekretaris=sekretaris,
        kadis_position=kadis_position,
        sekretaris_position=sekretaris_position,
    )


def open_task(instance: ProcessInstance, step: int) -> Task:
    return Task.objects.get(instance=instance, step_number=step, status=Task.Status.OPEN)
