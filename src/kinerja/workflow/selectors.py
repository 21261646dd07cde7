"""Reads of SOP versions (their list, one version, the difference between two), limited
to the scope, and who may act on a task (`task_can_complete`).

An agency's SOPs are read by whoever may see the agency. Processes and tasks
are read in `inbox_selectors`, under their own, stricter rule.
"""

import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency
from kinerja.workflow.definitions import parse_sop
from kinerja.workflow.domain.definition import Actor, SopDefinition, Step
from kinerja.workflow.models import SopVersion, Task

# --- definitions -------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def _parsed(sha256: str, source: str) -> SopDefinition:
    return parse_sop(source)


def sop_definition(version: SopVersion) -> SopDefinition:
    """The definition a stored version runs (parsed once per process and text)."""
    return _parsed(version.sha256, version.source)


# --- SOP versions ------------------------------------------------------------------------


def _visible_agency(scope: UserScope, agency: Agency) -> None:
    if not scope.can_view_agency(agency) or agency.is_archived:
        raise NotFound("agency")


@dataclass(frozen=True)
class SopSummary:
    """One SOP of an agency: its latest version and how many versions it has."""

    latest: SopVersion
    version_count: int

    @property
    def definition(self) -> SopDefinition:
        return sop_definition(self.latest)


def sop_list(*, scope: UserScope, agency: Agency) -> list[SopSummary]:
    """The agency's SOPs by name, each as its latest version (two queries)."""
    _visible_agency(scope, agency)
    newest = (
        SopVersion.objects.filter(agency=OuterRef("agency"), code=OuterRef("code"))
        .order_by("-version")
        .values("version")[:1]
    )
    latest = SopVersion.objects.filter(agency=agency, version=Subquery(newest)).order_by(
        "name", "code"
    )
    counts = dict(
        SopVersion.objects.filter(agency=agency)
        .values("code")
        .annotate(versions=Count("pk"))
        .values_list("code", "versions")
    )
    return [SopSummary(latest=version, version_count=counts[version.code]) for version in latest]


def sop_versions(
    *, scope: UserScope, agency: Agency, code: str | None = None
) -> QuerySet[SopVersion]:
    """The agency's SOP versions (of one `code` when given), newest version first."""
    _visible_agency(scope, agency)
    versions = SopVersion.objects.filter(agency=agency).select_related("imported_by")
    if code is not None:
        versions = versions.filter(code=code)
    return versions.order_by("code", "-version")


def sop_version_get(
    *, scope: UserScope, agency: Agency, code: str, version: int | None = None
) -> SopVersion:
    """One version of an SOP (the latest when `version` is None); NotFound otherwise."""
    versions = sop_versions(scope=scope, agency=agency, code=code).select_related(
        "agency__government"
    )
    found = versions.filter(version=version).first() if version is not None else versions.first()
    if found is None:
        raise NotFound("SOP")
    return found


def sop_latest(*, agency: Agency, code: str) -> SopVersion | None:
    """The latest version of an SOP of the agency (a system read: no scope)."""
    return SopVersion.objects.filter(agency=agency, code=code).order_by("-version").first()


# --- the difference between two versions ------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of a text difference: "equal", "delete" (old only) or "insert" (new only)."""

    op: str
    text: str


FIELD_LABELS = {
    "code": gettext_lazy("Code"),
    "version": gettext_lazy("Revision number"),
    "number": gettext_lazy("SOP number"),
    "name": gettext_lazy("Name"),
    "agency_name": gettext_lazy("Agency"),
    "made_on": gettext_lazy("Made on"),
    "revised_on": gettext_lazy("Revised on"),
    "effective_on": gettext_lazy("Effective from"),
    "approved_by": gettext_lazy("Approved by"),
    "legal_basis": pgettext_lazy("sop", "Legal basis"),
    "qualifications": gettext_lazy("Qualifications of the actors"),
    "related_sops": gettext_lazy("Related SOPs"),
    "equipment": pgettext_lazy("sop", "Equipment"),
    "warning": pgettext_lazy("sop", "Warning"),
    "records": gettext_lazy("Recording and data keeping"),
    "total_working_minutes": gettext_lazy("Total standard time (working minutes)"),
    "label": pgettext_lazy("sop", "Label"),
    "role_key": gettext_lazy("Role"),
    "each_unit": gettext_lazy("Every Bidang/UPT"),
    "team": pgettext_lazy("sop", "Team"),
    "external": gettext_lazy("Outside the agency"),
    "activity": pgettext_lazy("sop", "Activity"),
    "actor": pgettext_lazy("sop", "Actor"),
    "kind": pgettext_lazy("sop", "Kind"),
    "inputs": pgettext_lazy("sop", "Requirements"),
    "duration": pgettext_lazy("sop", "Time"),
    "working_minutes": gettext_lazy("Working minutes"),
    "outputs": pgettext_lazy("sop", "Output"),
    "note": pgettext_lazy("sop", "Note"),
    "next": gettext_lazy("Next step"),
    "yes": gettext_lazy("Yes goes to"),
    "no": gettext_lazy("No goes back to"),
    "inferred": gettext_lazy("Actor inferred"),
    "inferred_reason": gettext_lazy("Why the actor was inferred"),
}


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.name, self.name))

    @property
    def segments(self) -> list[Segment]:
        """Word by word: what stayed, what went, what came (difflib)."""
        old_words = re.split(r"(\s+)", self.old)
        new_words = re.split(r"(\s+)", self.new)
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        segments = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                segments.append(Segment("equal", "".join(old_words[i1:i2])))
                continue
            if i2 > i1:
                segments.append(Segment("delete", "".join(old_words[i1:i2])))
            if j2 > j1:
                segments.append(Segment("insert", "".join(new_words[j1:j2])))
        return segments


@dataclass(frozen=True)
class PartChange:
    """An actor (by key) or a step (by number) that was added, removed or changed."""

    key: str
    status: str  # "added", "removed", "changed"
    label: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class VersionDiff:
    old: SopVersion
    new: SopVersion
    identity: list[FieldChange]
    actors: list[PartChange]
    steps: list[PartChange]

    @property
    def is_empty(self) -> bool:
        return not (self.identity or self.actors or self.steps)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return "\n".join(_text(item) for item in value)
    return str(value)


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    names = list(dict.fromkeys([*old, *new]))
    return [
        FieldChange(name, _text(old.get(name)), _text(new.get(name)))
        for name in names
        if _text(old.get(name)) != _text(new.get(name))
    ]


def _identity_fields(definition: SopDefinition) -> dict[str, Any]:
    identity = definition.identity
    signatory = identity.approved_by
    return {
        "code": definition.code,
        "version": definition.version,
        "number": identity.number,
        "name": identity.name,
        "agency_name": identity.agency_name,
        "made_on": identity.made_on,
        "revised_on": identity.revised_on,
        "effective_on": identity.effective_on,
        "approved_by": (
            ", ".join(
                part
                for part in (signatory.title, signatory.name, signatory.nip, signatory.rank)
                if part
            )
            if signatory
            else ""
        ),
        "legal_basis": identity.legal_basis,
        "qualifications": identity.qualifications,
        "related_sops": identity.related_sops,
        "equipment": identity.equipment,
        "warning": identity.warning,
        "records": identity.records,
        "total_working_minutes": definition.total_working_minutes(),
    }


def _actor_fields(actor: Actor) -> dict[str, Any]:
    return {
        "label": actor.label,
        "role_key": actor.role_key,
        "each_unit": actor.each_unit,
        "team": actor.team,
        "external": actor.external,
    }


def _step_fields(step: Step) -> dict[str, Any]:
    duration = step.duration
    return {
        "activity": step.activity,
        "actor": step.actor,
        "kind": step.kind.value,
        "inputs": step.inputs,
        "duration": f"{duration.value:f} {duration.unit.value}" if duration else "",
        "working_minutes": duration.working_minutes() if duration else None,
        "outputs": step.outputs,
        "note": step.note,
        "next": step.next,
        "yes": step.yes,
        "no": step.no,
        "inferred": step.inferred,
        "inferred_reason": step.inferred_reason,
    }


def _part_changes(
    old: dict[str, tuple[str, dict[str, Any]]], new: dict[str, tuple[str, dict[str, Any]]]
) -> list[PartChange]:
    parts = []
    for key in dict.fromkeys([*old, *new]):
        if key not in old:
            parts.append(PartChange(key, "added", new[key][0], _changes({}, new[key][1])))
        elif key not in new:
            parts.append(PartChange(key, "removed", old[key][0], _changes(old[key][1], {})))
        elif changes := _changes(old[key][1], new[key][1]):
            parts.append(PartChange(key, "changed", new[key][0], changes))
    return parts


def version_diff(old: SopVersion, new: SopVersion) -> VersionDiff:
    """What changed from `old` to `new`: identity fields, actors by key, steps by number."""
    before, after = sop_definition(old), sop_definition(new)
    return VersionDiff(
        old=old,
        new=new,
        identity=_changes(_identity_fields(before), _identity_fields(after)),
        actors=_part_changes(
            {a.key: (a.label, _actor_fields(a)) for a in before.actors},
            {a.key: (a.label, _actor_fields(a)) for a in after.actors},
        ),
        steps=_part_changes(
            {str(s.number): (s.activity, _step_fields(s)) for s in before.steps},
            {str(s.number): (s.activity, _step_fields(s)) for s in after.steps},
        ),
    )


# --- tasks -------------------------------------------------------------------------------


def task_can_complete(*, scope: UserScope, task: Task) -> bool:
    """Whether the scope may complete the task and add its outputs.

    The assignee may; so may whoever holds the task's position today (a Plh
    appointed after the task opened); while nobody is assigned, the agency's
    organisers act for the vacant position.
    """
    if scope.employee_id is not None and task.assignee_id == scope.employee_id:
        return True
    if task.position_id is not None and task.position_id in scope.position_ids:
        return True
    return task.assignee_id is None and scope.can_organize_agency(task.instance.agency)
