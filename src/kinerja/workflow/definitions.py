"""SOP definition files (YAML, see docs/sop-format.md) → `SopDefinition`, and back.

`validate_sop` reports every problem of a file with its path in the document
("steps[3].no", 0-based indexes): first the structure against
`sop_schema.json`, then the meaning (numbering, references, the flow from the
start to an end). `parse_sop` returns the definition or raises `SopInvalid`.
`sop_to_data` is the export shape: the same document plus the computed working
minutes. Only Django's gettext is used here, so management commands and the
engine can call it anywhere.

The YAML is read with booleans and dates as YAML 1.2 sees them: only
true/false are booleans, so the decision keys `yes:` and `no:` stay keys (YAML
1.1 would turn them into True/False), and an unquoted 2025-01-06 stays text.
A key written twice is refused instead of silently keeping the last one.
"""

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, ValidationError

from kinerja.core.domain.paths import format_path
from kinerja.core.errors import ValidationFailed
from kinerja.workflow.domain.definition import (
    Actor,
    Duration,
    DurationUnit,
    Identity,
    Signatory,
    SopDefinition,
    Step,
    StepKind,
)

SCHEMA_PATH = Path(__file__).with_name("sop_schema.json")
FORMAT = "kinerja-sop"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SopProblem:
    """One reason a definition is refused; `path` is empty for the whole file."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SopInvalid(ValidationFailed):
    """The definition was refused; `problems` lists why, in document order."""

    def __init__(self, problems: list[SopProblem]) -> None:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.path or "__all__", []).append(problem.message)
        super().__init__(errors)
        self.problems = problems


@functools.cache
def sop_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an SOP definition."""
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def validate_sop(text: str) -> list[SopProblem]:
    """Every problem of the YAML `text`, in document order (empty when it is valid)."""
    try:
        data = _load_yaml(text)
    except _YamlProblem as problem:
        return [problem.problem]
    return validate_sop_data(data)


def validate_sop_data(data: Any) -> list[SopProblem]:
    """Like `validate_sop`, for a document already loaded (e.g. from JSON)."""
    problems = _schema_problems(data)
    if problems:
        return problems
    return _meaning_problems(data, _to_definition(data))


def parse_sop(text: str) -> SopDefinition:
    """The definition in the YAML `text`; raises `SopInvalid` when it has any problem."""
    try:
        data = _load_yaml(text)
    except _YamlProblem as problem:
        raise SopInvalid([problem.problem]) from None
    problems = validate_sop_data(data)
    if problems:
        raise SopInvalid(problems)
    return _to_definition(data)


def sop_to_data(definition: SopDefinition) -> dict[str, Any]:
    """The definition as a document of the YAML format, with the computed working minutes.

    Each step gets `working_minutes` (None without a duration) and the SOP
    `total_working_minutes`; `validate_sop_data` accepts the result again.
    """
    identity = definition.identity
    identity_data: dict[str, Any] = {
        "number": identity.number,
        "name": identity.name,
        "agency_name": identity.agency_name,
        "made_on": identity.made_on,
        "revised_on": identity.revised_on,
        "effective_on": identity.effective_on,
    }
    if identity.approved_by is not None:
        signatory = identity.approved_by
        identity_data["approved_by"] = {
            "title": signatory.title,
            "name": signatory.name,
            "nip": signatory.nip,
            "rank": signatory.rank,
        }
    identity_data |= {
        "legal_basis": list(identity.legal_basis),
        "qualifications": list(identity.qualifications),
        "related_sops": list(identity.related_sops),
        "equipment": list(identity.equipment),
        "warning": identity.warning,
        "records": list(identity.records),
    }
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "code": definition.code,
        "version": definition.version,
        "agency": definition.agency_code,
    }
    if definition.purpose:
        data["purpose"] = definition.purpose
    data |= {
        "identity": identity_data,
        "actors": [_actor_data(actor) for actor in definition.actors],
        "steps": [_step_data(step) for step in definition.steps],
        "total_working_minutes": definition.total_working_minutes(),
    }
    return data


def _actor_data(actor: Actor) -> dict[str, Any]:
    data: dict[str, Any] = {"key": actor.key, "label": actor.label}
    if actor.role_key is not None:
        data["role_key"] = actor.role_key
    if actor.each_unit:
        data["each_unit"] = True
    if actor.team is not None:
        data["team"] = actor.team
    if actor.external:
        data["external"] = True
    return data


def _step_data(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": step.number,
        "activity": step.activity,
        "actor": step.actor,
        "kind": step.kind.value,
        "inputs": list(step.inputs),
    }
    if step.duration is not None:
        data["duration"] = {
            "value": format(step.duration.value, "f"),
            "unit": step.duration.unit.value,
        }
    data["working_minutes"] = step.duration.working_minutes() if step.duration else None
    data |= {"outputs": list(step.outputs), "note": step.note}
    for name in ("next", "yes", "no"):
        if getattr(step, name) is not None:
            data[name] = getattr(step, name)
    if step.inferred:
        data |= {"inferred": True, "inferred_reason": step.inferred_reason}
    return data


# --- reading YAML ---------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, dates kept as text and duplicate keys refused."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | bool) and key in seen:
                raise _YamlProblem(
                    SopProblem(
                        "",
                        _("The key “%(key)s” appears twice (line %(line)d).")
                        % {"key": key, "line": key_node.start_mark.line + 1},
                    )
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _YamlProblem(Exception):
    def __init__(self, problem: SopProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise _YamlProblem(
            SopProblem(
                "",
                _("Not valid YAML (line %(line)d): %(problem)s")
                % {"line": line, "problem": error.problem or error.context or ""},
            )
        ) from None
    except yaml.YAMLError as error:
        message = _("Not valid YAML: %(problem)s") % {"problem": error}
        raise _YamlProblem(SopProblem("", message)) from None


# --- structure (JSON Schema) ----------------------------------------------------------------


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(sop_schema())


def _schema_problems(data: Any) -> list[SopProblem]:
    found: dict[str, list[str]] = {}
    for error in _validator().iter_errors(data):
        for parts, message in _reword(error):
            messages = found.setdefault(format_path(parts), [])
            if message not in messages:
                messages.append(message)
    return [
        SopProblem(path, message)
        for path in sorted(found, key=_path_order)
        for message in found[path]
    ]


_TOP_ORDER = (
    "format",
    "format_version",
    "code",
    "version",
    "agency",
    "purpose",
    "identity",
    "actors",
    "steps",
    "total_working_minutes",
)


def _path_order(path: str) -> tuple[Any, ...]:
    head = re.match(r"[a-z_]*", path)
    top = head.group(0) if head else ""
    rank = _TOP_ORDER.index(top) if top in _TOP_ORDER else len(_TOP_ORDER)
    indexes = tuple(int(number) for number in re.findall(r"\[(\d+)\]", path))
    return (rank, indexes, path)


def _reword(error: ValidationError) -> list[tuple[list[str | int], str]]:
    """(path parts, message) pairs for one jsonschema error, in our own words."""
    parts: list[str | int] = list(error.absolute_path)
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    if keyword == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        return [([*parts, name], _("This field is required.")) for name in missing]
    if keyword == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(str(name) for name in instance if name not in known)
        return [([*parts, name], _("Unknown field; check its spelling.")) for name in extra]
    return [(parts, _message(str(keyword), value, instance, error.schema))]


def _message(keyword: str, value: Any, instance: Any, schema: dict[str, Any]) -> str:
    title = schema.get("title")
    example = (schema.get("examples") or [""])[0]
    if keyword == "type":
        return _type_message(value if isinstance(value, list) else [value], example)
    if keyword == "enum":
        return _("“%(value)s” is not allowed; use one of: %(choices)s.") % {
            "value": instance,
            "choices": ", ".join(str(choice) for choice in value),
        }
    if keyword == "const":
        return _("Must be %(value)s.") % {"value": json.dumps(value)}
    if keyword == "pattern":
        return _pattern_message(title, example)
    if keyword in ("minLength", "minItems"):
        return _("Must not be empty.")
    if keyword == "minimum":
        return _("Must be at least %(limit)s.") % {"limit": value}
    return _("Invalid value.")


def _type_message(expected: list[str], example: str) -> str:
    if "integer" in expected:
        return _("Must be a whole number.")
    if "boolean" in expected:
        return _("Must be true or false.")
    if "array" in expected:
        return _("Must be a list [ … ].")
    if "object" in expected:
        return _("Must be an object { … }.")
    if example:
        return _("Must be text; put it in quotes, e.g. “%(example)s”.") % {"example": example}
    return _("Must be text.")


def _pattern_message(title: str | None, example: str) -> str:
    if title == "number":
        return _("Write the number with a dot for decimals and no thousands separator, e.g. 85.5.")
    if title == "date":
        return _("Write the date as YYYY-MM-DD, e.g. 2025-01-02.")
    if title == "nip":
        return _("Write the NIP as 18 digits without spaces.")
    if title == "key":
        return _(
            "Use only lowercase letters, digits and underscores (_), starting with a letter, "
            "e.g. %(example)s."
        ) % {"example": example}
    return _("Use only lowercase letters, digits and single hyphens (-), e.g. %(example)s.") % {
        "example": example
    }


# --- conversion -----------------------------------------------------------------------------


def _to_definition(data: dict[str, Any]) -> SopDefinition:
    """The definition of a document that fits the schema (meaning not yet checked)."""
    identity = data["identity"]
    approved_by = identity.get("approved_by")
    return SopDefinition(
        code=data["code"],
        version=data.get("version", 1),
        agency_code=data["agency"],
        purpose=data.get("purpose", ""),
        identity=Identity(
            number=identity["number"],
            name=identity["name"],
            agency_name=identity["agency_name"],
            made_on=identity.get("made_on", ""),
            revised_on=identity.get("revised_on", ""),
            effective_on=identity.get("effective_on", ""),
            approved_by=Signatory(**approved_by) if approved_by is not None else None,
            legal_basis=tuple(identity.get("legal_basis", ())),
            qualifications=tuple(identity.get("qualifications", ())),
            related_sops=tuple(identity.get("related_sops", ())),
            equipment=tuple(identity.get("equipment", ())),
            warning=identity.get("warning", ""),
            records=tuple(identity.get("records", ())),
        ),
        actors=tuple(
            Actor(
                key=actor["key"],
                label=actor["label"],
                role_key=actor.get("role_key"),
                each_unit=actor.get("each_unit", False),
                team=actor.get("team"),
                external=actor.get("external", False),
            )
            for actor in data["actors"]
        ),
        steps=tuple(_to_step(step) for step in data["steps"]),
    )


def _to_step(step: dict[str, Any]) -> Step:
    duration = step.get("duration")
    return Step(
        number=step["number"],
        activity=step["activity"],
        actor=step["actor"],
        kind=StepKind(step.get("kind", StepKind.TASK.value)),
        inputs=tuple(step.get("inputs", ())),
        duration=(
            Duration(Decimal(duration["value"]), DurationUnit(duration["unit"]))
            if duration is not None
            else None
        ),
        outputs=tuple(step.get("outputs", ())),
        note=step.get("note", ""),
        next=step.get("next"),
        yes=step.get("yes"),
        no=step.get("no"),
        inferred=step.get("inferred", False),
        inferred_reason=step.get("inferred_reason", ""),
    )


# --- meaning --------------------------------------------------------------------------------


def _meaning_problems(data: dict[str, Any], definition: SopDefinition) -> list[SopProblem]:
    """Numbering first: links and the flow are judged only once the numbers are right."""
    numbering = _numbering_problems(definition.steps)
    problems = [
        *numbering,
        *_identity_problems(definition.identity),
        *_actor_problems(definition.actors),
        *_step_problems(definition, check_links=not numbering),
        *_computed_problems(data, definition),
    ]
    links_ok = not any(p.path.endswith((".next", ".yes", ".no")) for p in problems)
    has_end = any(step.kind is StepKind.END for step in definition.steps)
    if not numbering and links_ok and has_end:
        problems += _flow_problems(definition)
    return sorted(problems, key=lambda problem: _path_order(problem.path))


def _numbering_problems(steps: tuple[Step, ...]) -> list[SopProblem]:
    return [
        SopProblem(
            f"steps[{index}].number",
            _("Steps are numbered 1, 2, 3, … in order; this one must be %(number)d.")
            % {"number": index + 1},
        )
        for index, step in enumerate(steps)
        if step.number != index + 1
    ]


def _identity_problems(identity: Identity) -> list[SopProblem]:
    problems = []
    for name in ("made_on", "revised_on", "effective_on"):
        text = getattr(identity, name)
        try:
            if text:
                date.fromisoformat(text)
        except ValueError:
            problems.append(
                SopProblem(f"identity.{name}", _("“%(value)s” is not a date.") % {"value": text})
            )
    return problems


def _actor_problems(actors: tuple[Actor, ...]) -> list[SopProblem]:
    problems = []
    seen: set[str] = set()
    for index, actor in enumerate(actors):
        path = f"actors[{index}]"
        if actor.key in seen:
            problems.append(
                SopProblem(
                    f"{path}.key",
                    _("The actor key “%(key)s” is used twice.") % {"key": actor.key},
                )
            )
        seen.add(actor.key)
        if [actor.role_key is not None, actor.team is not None, actor.external].count(True) != 1:
            problems.append(
                SopProblem(path, _("Give exactly one of role_key, team or external: true."))
            )
        if actor.each_unit and actor.role_key is None:
            problems.append(
                SopProblem(f"{path}.each_unit", _("each_unit needs a role_key (the unit's role)."))
            )
    return problems


def _step_problems(definition: SopDefinition, *, check_links: bool) -> list[SopProblem]:
    steps = definition.steps
    numbers = {step.number for step in steps} if check_links else None
    actor_keys = {actor.key for actor in definition.actors}
    problems = []
    for index, step in enumerate(steps):
        path = f"steps[{index}]"
        if step.actor not in actor_keys:
            problems.append(
                SopProblem(
                    f"{path}.actor",
                    _("There is no actor with the key “%(key)s”.") % {"key": step.actor},
                )
            )
        problems += _kind_problems(path, index, step)
        problems += _link_problems(path, step, numbers)
        if step.duration is not None and step.duration.value <= 0:
            problems.append(
                SopProblem(f"{path}.duration.value", _("The duration must be more than zero."))
            )
        if step.inferred and not step.inferred_reason.strip():
            problems.append(
                SopProblem(
                    f"{path}.inferred_reason",
                    _("Say in one line why the actor was inferred."),
                )
            )
    if not any(step.kind is StepKind.END for step in steps):
        problems.append(SopProblem("steps", _("The SOP needs at least one end step (kind: end).")))
    return problems


def _kind_problems(path: str, index: int, step: Step) -> list[SopProblem]:
    if index == 0 and step.kind is not StepKind.START:
        return [SopProblem(f"{path}.kind", _("The first step must be the start (kind: start)."))]
    if index > 0 and step.kind is StepKind.START:
        return [SopProblem(f"{path}.kind", _("Only the first step is the start."))]
    return []


def _link_problems(path: str, step: Step, numbers: set[int] | None) -> list[SopProblem]:
    """The links a step's kind needs or forbids; where they lead only when `numbers` is given."""
    problems = []
    if step.kind is StepKind.DECISION:
        for name, target in (("yes", step.yes), ("no", step.no)):
            if target is None:
                problems.append(
                    SopProblem(
                        f"{path}.{name}",
                        _("A decision needs both yes (“Ya”) and no (“Tidak”)."),
                    )
                )
        if step.next is not None:
            problems.append(SopProblem(f"{path}.next", _("A decision leads on with yes and no.")))
        if step.no is not None and step.no >= step.number:
            problems.append(
                SopProblem(
                    f"{path}.no",
                    _("“Tidak” must lead back to an earlier step (a correction loop)."),
                )
            )
    else:
        for name, target in (("yes", step.yes), ("no", step.no)):
            if target is not None:
                problems.append(SopProblem(f"{path}.{name}", _("Only a decision has yes and no.")))
        if step.kind is StepKind.END and step.next is not None:
            problems.append(SopProblem(f"{path}.next", _("The end step leads nowhere.")))
        if (
            numbers is not None
            and step.kind is not StepKind.END
            and step.next is None
            and step.number + 1 not in numbers
        ):
            problems.append(
                SopProblem(
                    f"{path}.next",
                    _("No step follows step %(number)d: make it an end step or set next.")
                    % {"number": step.number},
                )
            )
    for name in ("next", "yes", "no"):
        target = getattr(step, name)
        if numbers is not None and target is not None and target not in numbers:
            problems.append(
                SopProblem(
                    f"{path}.{name}",
                    _("There is no step %(number)d.") % {"number": target},
                )
            )
    return problems


def _successors(step: Step) -> list[int]:
    if step.kind is StepKind.END:
        return []
    if step.kind is StepKind.DECISION:
        return [number for number in (step.yes, step.no) if number is not None]
    return [step.next if step.next is not None else step.number + 1]


def _flow_problems(definition: SopDefinition) -> list[SopProblem]:
    """Every step is reachable from the start, and some end is reachable from every step."""
    following = {step.number: _successors(step) for step in definition.steps}
    preceding: dict[int, list[int]] = {number: [] for number in following}
    for number, targets in following.items():
        for target in targets:
            preceding[target].append(number)
    from_start = _reach([definition.steps[0].number], following)
    to_end = _reach([s.number for s in definition.steps if s.kind is StepKind.END], preceding)
    problems = []
    for index, step in enumerate(definition.steps):
        if step.number not in from_start:
            problems.append(
                SopProblem(
                    f"steps[{index}]",
                    _("Step %(number)d cannot be reached from the start.")
                    % {"number": step.number},
                )
            )
        elif step.number not in to_end:
            problems.append(
                SopProblem(
                    f"steps[{index}]",
                    _("From step %(number)d no end step can be reached.") % {"number": step.number},
                )
            )
    return problems


def _reach(starts: list[int], edges: dict[int, list[int]]) -> set[int]:
    seen = set(starts)
    pending = list(starts)
    while pending:
        for target in edges[pending.pop()]:
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def _computed_problems(data: dict[str, Any], definition: SopDefinition) -> list[SopProblem]:
    """Computed fields of an exported document must agree with what they are computed from."""
    problems = []
    for index, (raw, step) in enumerate(zip(data["steps"], definition.steps, strict=True)):
        expected = step.duration.working_minutes() if step.duration else None
        if "working_minutes" in raw and raw["working_minutes"] != expected:
            problems.append(_computed_mismatch(f"steps[{index}].working_minutes", expected))
    total = data.get("total_working_minutes")
    if total is not None and total != definition.total_working_minutes():
        problems.append(
            _computed_mismatch("total_working_minutes", definition.total_working_minutes())
        )
    return problems


def _computed_mismatch(path: str, expected: int | None) -> SopProblem:
    return SopProblem(
        path,
        _("Computed from the durations, this must be %(value)s; leave it out or correct it.")
        % {"value": "null" if expected is None else expected},
    )
