"""An SOP (PermenPANRB 35/2012) as plain data: identity sheet, actors and numbered steps.

This is the contract between the YAML files in `kinerja/sops/`, the engine
that runs them, and the renderer that prints them back as official documents.
Durations are working time: 480 menit is one working day (8 hours), so
"2 hari" is 960 menit (see `Duration.working_minutes`).
"""

import enum
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MINUTES_PER_WORKING_DAY = 480


class StepKind(enum.Enum):
    """The flowchart symbol of a step: capsule (start/end), rectangle (task), diamond."""

    START = "start"
    TASK = "task"
    DECISION = "decision"
    END = "end"


class DurationUnit(enum.Enum):
    MINUTE = "menit"
    HOUR = "jam"
    DAY = "hari"


_UNIT_MINUTES = {DurationUnit.MINUTE: 1, DurationUnit.HOUR: 60, DurationUnit.DAY: None}


@dataclass(frozen=True)
class Duration:
    """A standard time as the SOP writes it ("1,5 jam", "2 hari", "2400 menit")."""

    value: Decimal
    unit: DurationUnit

    def working_minutes(self, *, minutes_per_day: int = MINUTES_PER_WORKING_DAY) -> int:
        """The duration in working minutes, rounded half-up to a whole minute."""
        per_unit = _UNIT_MINUTES[self.unit] or minutes_per_day
        return int((self.value * per_unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Actor:
    """A column of the flowchart table.

    `role_key` names the position that acts (kepala_dinas, sekretaris, …);
    `each_unit` marks a column done by every Bidang/UPT at once (one task per
    unit, the step ends when all are done); `team` a team set up by SK
    (tim_sakip, tim_lkjip); `external` the Perangkat Daerah Terkait (BAPPEDA,
    Biro Organisasi) who receive but do not act inside the agency.
    """

    key: str
    label: str
    role_key: str | None = None
    each_unit: bool = False
    team: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Step:
    """One numbered activity of the SOP.

    The flow goes to `next` (default: the following number). A decision goes to
    `yes` when the work is right and back to `no` to be corrected. `inferred`
    marks a step whose actor was inferred from the text because the OCR lost
    the flowchart symbol; `inferred_reason` says why.
    """

    number: int
    activity: str
    actor: str
    kind: StepKind = StepKind.TASK
    inputs: tuple[str, ...] = ()
    duration: Duration | None = None
    outputs: tuple[str, ...] = ()
    note: str = ""
    next: int | None = None
    yes: int | None = None
    no: int | None = None
    inferred: bool = False
    inferred_reason: str = ""


@dataclass(frozen=True)
class Signatory:
    title: str
    name: str = ""
    nip: str = ""
    rank: str = ""


@dataclass(frozen=True)
class Identity:
    """The identity sheet of the SOP document."""

    number: str
    name: str
    agency_name: str
    made_on: str = ""
    revised_on: str = ""
    effective_on: str = ""
    approved_by: Signatory | None = None
    legal_basis: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    related_sops: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    warning: str = ""
    records: tuple[str, ...] = ()


@dataclass(frozen=True)
class SopDefinition:
    code: str
    version: int
    identity: Identity
    actors: tuple[Actor, ...]
    steps: tuple[Step, ...]
    agency_code: str = ""
    purpose: str = field(default="", compare=False)

    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(number)

    def actor(self, key: str) -> Actor:
        for actor in self.actors:
            if actor.key == key:
                return actor
        raise KeyError(key)

    def total_working_minutes(self, *, minutes_per_day: int = MINUTES_PER_WORKING_DAY) -> int:
        """The SOP's total standard time: every step once (the straight path)."""
        return sum(
            step.duration.working_minutes(minutes_per_day=minutes_per_day)
            for step in self.steps
            if step.duration is not None
        )
