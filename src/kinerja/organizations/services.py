"""Writes of the organisation: governments, agencies, units, positions, employees,
assignments (incl. Plt/Plh) and teams.

Who may write: the superuser creates governments; a government's administrator
(`User.administered_government`) changes it and creates and changes its
agencies (`access_government_for_admin`); inside an agency the Kepala Dinas,
the Sekretaris and the Kasubbag (Umum), and the government's administrator,
manage units, positions, employees, assignments and teams
(`access_agency_for_organization`). The planner roles (Kasubbag Program,
Fungsional Umum) plan with the organisation but do not restructure it.

Assignment rules (checked on create and whenever an end date changes):

- An employee holds a position at most once at a time (any kind).
- An employee holds at most one position definitively at a time.
- A position has at most one definitive holder at a time, and a definitive
  holder is not appointed while a Plt serves (end the Plt first).
- A Plt is appointed only to a vacant position: no definitive holder on any day
  of the Plt's period, and no other Plt at the same time.
- A Plh stands in for someone who is away, so a Plh has an end date, every day
  of the Plh's period has a definitive holder or a Plt, and there is no other
  Plh at the same time. (Ending the holder's assignment later does not touch the
  Plh: the holder leaving for good is a decision recorded separately.)
"""

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import Conflict, ValidationFailed
from kinerja.core.services import change_record_create, diff_fields
from kinerja.organizations.access import (
    UserScope,
    access_agency_for_organization,
    access_employee_for_edit,
    access_government_for_admin,
)
from kinerja.organizations.domain.nip import InvalidNip, normalize_nip, parse_nip
from kinerja.organizations.domain.periods import covers, overlaps
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    Government,
    OrgUnit,
    Position,
    Team,
    TeamMember,
    User,
)
from kinerja.organizations.validators import NIP_MESSAGES

# --- helpers ---------------------------------------------------------------------------


ModelT = TypeVar("ModelT", bound=models.Model)


def _validate(instance: models.Model) -> None:
    """Run the model's own validation (field formats, choices, constraints) as ValidationFailed."""
    try:
        instance.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.message_dict) from exc


def _create(model: type[ModelT], actor: UserScope, values: dict[str, Any]) -> ModelT:
    """Build, validate, save and record a new row of `model` from `values`."""
    instance = model(**values)
    _validate(instance)
    instance.save()
    change_record_create(
        instance=instance,
        action="create",
        user_id=actor.user_id,
        changes={field: (None, value) for field, value in values.items()},
    )
    return instance


def _update(
    instance: models.Model, actor: UserScope, values: dict[str, Any], *, reason: str = ""
) -> None:
    """Apply `values`, validate, save and record what changed (nothing when nothing did)."""
    changes = diff_fields(instance=instance, values=values)
    if not changes:
        return
    for field, value in values.items():
        setattr(instance, field, value)
    _validate(instance)
    instance.save()
    change_record_create(
        instance=instance, action="update", user_id=actor.user_id, changes=changes, reason=reason
    )


def _archive(instance: Any, actor: UserScope, *, reason: str) -> None:
    instance.archived_at = timezone.now()
    instance.save(update_fields=["archived_at", "updated_at"])
    change_record_create(instance=instance, action="archive", user_id=actor.user_id, reason=reason)


def _taken(queryset: "models.QuerySet[Any]", instance: models.Model | None) -> bool:
    """Whether a row other than `instance` (being edited, if any) matches `queryset`."""
    if instance is not None:
        queryset = queryset.exclude(pk=instance.pk)
    return queryset.exists()


# --- governments and agencies ----------------------------------------------------------


@transaction.atomic
def government_create(
    *,
    actor: UserScope,
    name: str,
    level: str,
    code: str,
    time_zone: str,
    parent: Government | None = None,
    capital: str = "",
) -> Government:
    access_government_for_admin(actor, None)
    values = {
        "name": name.strip(),
        "level": level,
        "code": code.strip(),
        "time_zone": time_zone,
        "parent": parent,
        "capital": capital.strip(),
    }
    return _create(Government, actor, values)


@transaction.atomic
def government_update(
    *,
    actor: UserScope,
    government: Government,
    name: str,
    level: str,
    code: str,
    time_zone: str,
    parent: Government | None,
    capital: str,
) -> Government:
    access_government_for_admin(actor, government.pk)
    if parent is not None and parent.pk == government.pk:
        raise ValidationFailed({"parent": [_("A government cannot be its own province.")]})
    _update(
        government,
        actor,
        {
            "name": name.strip(),
            "level": level,
            "code": code.strip(),
            "time_zone": time_zone,
            "parent": parent,
            "capital": capital.strip(),
        },
    )
    return government


def _agency_values(**values: Any) -> dict[str, Any]:
    return {
        key: value.strip() if isinstance(value, str) else value for key, value in values.items()
    }


@transaction.atomic
def agency_create(
    *,
    actor: UserScope,
    government: Government,
    name: str,
    short_name: str,
    code: str,
    kind: str,
    is_coordinating: bool = False,
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
) -> Agency:
    access_government_for_admin(actor, government.pk)
    values = _agency_values(
        government=government,
        name=name,
        short_name=short_name,
        code=code,
        kind=kind,
        is_coordinating=is_coordinating,
        address=address,
        phone=phone,
        email=email,
        website=website,
    )
    return _create(Agency, actor, values)


@transaction.atomic
def agency_update(
    *,
    actor: UserScope,
    agency: Agency,
    name: str,
    short_name: str,
    code: str,
    kind: str,
    is_coordinating: bool,
    address: str,
    phone: str,
    email: str,
    website: str,
) -> Agency:
    """Change an agency's identity; it stays in its government."""
    access_government_for_admin(actor, agency.government_id)
    _update(
        agency,
        actor,
        _agency_values(
            name=name,
            short_name=short_name,
            code=code,
            kind=kind,
            is_coordinating=is_coordinating,
            address=address,
            phone=phone,
            email=email,
            website=website,
        ),
    )
    return agency


# --- units -----------------------------------------------------------------------------


def _check_unit_code(agency: Agency, code: str, *, unit: OrgUnit | None = None) -> None:
    if _taken(OrgUnit.objects.filter(agency=agency, code=code), unit):
        raise ValidationFailed(
            {
                "code": [
                    _("Another unit of this agency already uses the code %(code)s.")
                    % {"code": code}
                ]
            }
        )


def _check_unit_parent(
    agency: Agency, parent: OrgUnit | None, *, unit: OrgUnit | None = None
) -> None:
    if parent is None:
        return
    if parent.agency_id != agency.pk or parent.is_archived:
        raise ValidationFailed({"parent": [_("Choose a current unit of the same agency.")]})
    if unit is None:
        return
    parents = dict(OrgUnit.objects.filter(agency=agency).values_list("pk", "parent_id"))
    ancestor: int | None = parent.pk
    while ancestor is not None:
        if ancestor == unit.pk:
            raise ValidationFailed(
                {"parent": [_("A unit cannot be placed under itself or one of its sub-units.")]}
            )
        ancestor = parents.get(ancestor)


@transaction.atomic
def unit_create(
    *,
    actor: UserScope,
    agency: Agency,
    name: str,
    kind: str,
    code: str,
    parent: OrgUnit | None = None,
    sort_order: int = 0,
) -> OrgUnit:
    access_agency_for_organization(actor, agency)
    code = code.strip()
    _check_unit_parent(agency, parent)
    _check_unit_code(agency, code)
    values = {
        "agency": agency,
        "name": name.strip(),
        "kind": kind,
        "code": code,
        "parent": parent,
        "sort_order": sort_order,
    }
    return _create(OrgUnit, actor, values)


@transaction.atomic
def unit_update(
    *,
    actor: UserScope,
    unit: OrgUnit,
    name: str,
    kind: str,
    code: str,
    parent: OrgUnit | None,
    sort_order: int,
) -> OrgUnit:
    access_agency_for_organization(actor, unit.agency)
    code = code.strip()
    _check_unit_parent(unit.agency, parent, unit=unit)
    _check_unit_code(unit.agency, code, unit=unit)
    _update(
        unit,
        actor,
        {
            "name": name.strip(),
            "kind": kind,
            "code": code,
            "parent": parent,
            "sort_order": sort_order,
        },
    )
    return unit


@transaction.atomic
def unit_archive(*, actor: UserScope, unit: OrgUnit, reason: str = "") -> OrgUnit:
    """Archive a unit that no longer exists (units are never deleted).

    Refused while the unit still has current positions or sub-units: move or
    archive those first, so no position is left pointing at a vanished unit.
    """
    access_agency_for_organization(actor, unit.agency)
    unit = OrgUnit.objects.select_for_update().select_related("agency").get(pk=unit.pk)
    if unit.is_archived:
        return unit
    if unit.positions.filter(archived_at__isnull=True).exists():
        raise ValidationFailed(
            _("This unit still has positions. Move or archive them before archiving the unit.")
        )
    if unit.children.filter(archived_at__isnull=True).exists():
        raise ValidationFailed(
            _("This unit still has sub-units. Move or archive them before archiving the unit.")
        )
    _archive(unit, actor, reason=reason)
    return unit


# --- positions -------------------------------------------------------------------------


def _check_position_links(
    agency: Agency,
    *,
    code: str,
    unit: OrgUnit | None,
    superior: "Position | None",
    position: "Position | None" = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if _taken(Position.objects.filter(agency=agency, code=code), position):
        errors["code"] = [
            _("Another position of this agency already uses the code %(code)s.") % {"code": code}
        ]
    if unit is not None and (unit.agency_id != agency.pk or unit.is_archived):
        errors["unit"] = [_("Choose a current unit of the same agency.")]
    if superior is not None:
        if superior.agency_id != agency.pk or superior.is_archived:
            errors["superior"] = [_("Choose a current position of the same agency.")]
        elif position is not None and _reports_to(superior, position):
            errors["superior"] = [
                _("A position cannot report to itself or to one of its subordinates.")
            ]
    if errors:
        raise ValidationFailed(errors)


def _reports_to(superior: Position, position: Position) -> bool:
    """Whether `superior` is `position` or below it in the chain of command."""
    chain = dict(
        Position.objects.filter(agency_id=position.agency_id).values_list("pk", "superior_id")
    )
    current: int | None = superior.pk
    seen: set[int] = set()
    while current is not None and current not in seen:
        if current == position.pk:
            return True
        seen.add(current)
        current = chain.get(current)
    return False


@transaction.atomic
def position_create(
    *,
    actor: UserScope,
    agency: Agency,
    title: str,
    code: str,
    role_key: str,
    unit: OrgUnit | None = None,
    superior: Position | None = None,
    echelon: str = "",
    sort_order: int = 0,
) -> Position:
    access_agency_for_organization(actor, agency)
    code = code.strip()
    _check_position_links(agency, code=code, unit=unit, superior=superior)
    values = {
        "agency": agency,
        "title": title.strip(),
        "code": code,
        "role_key": role_key,
        "unit": unit,
        "superior": superior,
        "echelon": echelon.strip(),
        "sort_order": sort_order,
    }
    return _create(Position, actor, values)


@transaction.atomic
def position_update(
    *,
    actor: UserScope,
    position: Position,
    title: str,
    code: str,
    role_key: str,
    unit: OrgUnit | None,
    superior: Position | None,
    echelon: str,
    sort_order: int,
) -> Position:
    access_agency_for_organization(actor, position.agency)
    code = code.strip()
    _check_position_links(
        position.agency, code=code, unit=unit, superior=superior, position=position
    )
    _update(
        position,
        actor,
        {
            "title": title.strip(),
            "code": code,
            "role_key": role_key,
            "unit": unit,
            "superior": superior,
            "echelon": echelon.strip(),
            "sort_order": sort_order,
        },
    )
    return position


# --- employees -------------------------------------------------------------------------


def _clean_nip(nip: str, *, employee: Employee | None = None) -> str | None:
    """Normalise (spaces removed), validate and check uniqueness; None when empty."""
    digits = normalize_nip(nip or "")
    if not digits:
        return None
    try:
        parse_nip(digits)
    except InvalidNip as exc:
        raise ValidationFailed({"nip": [str(NIP_MESSAGES[exc.problem])]}) from exc
    if _taken(Employee.objects.filter(nip=digits), employee):
        raise ValidationFailed({"nip": [_("An employee with this NIP is already registered.")]})
    return digits


def _check_user_free(user: User | None, *, employee: Employee | None = None) -> None:
    if user is None:
        return
    if _taken(Employee.objects.filter(user=user), employee):
        raise ValidationFailed(
            {"user": [_("This user account already belongs to another employee.")]}
        )


@transaction.atomic
def employee_create(
    *,
    actor: UserScope,
    position: Position,
    name: str,
    nip: str = "",
    rank: str = "",
    grade: str = "",
    email: str = "",
    user: User | None = None,
    kind: str = Assignment.Kind.DEFINITIVE,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    decree_number: str = "",
) -> Employee:
    """Register an employee together with their first assignment.

    An employee belongs to an agency only through assignments, so one without
    any would be invisible to everybody but the superuser: the first
    assignment is therefore part of the registration.
    """
    access_agency_for_organization(actor, position.agency)
    values = {
        "name": name.strip(),
        "nip": _clean_nip(nip),
        "rank": rank.strip(),
        "grade": grade.strip(),
        "email": email.strip(),
        "user": user,
    }
    _check_user_free(user)
    employee = _create(Employee, actor, values)
    _assignment_create(
        actor=actor,
        employee=employee,
        position=position,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        decree_number=decree_number,
    )
    return employee


@transaction.atomic
def employee_update(
    *,
    actor: UserScope,
    employee: Employee,
    name: str,
    nip: str,
    rank: str,
    grade: str,
    email: str,
) -> Employee:
    """Change an employee's identity; the user account is linked in the admin."""
    access_employee_for_edit(actor, employee)
    _update(
        employee,
        actor,
        {
            "name": name.strip(),
            "nip": _clean_nip(nip, employee=employee),
            "rank": rank.strip(),
            "grade": grade.strip(),
            "email": email.strip(),
        },
    )
    return employee


# --- assignments -----------------------------------------------------------------------


def _period(assignment: Assignment) -> tuple[datetime.date, datetime.date | None]:
    return (assignment.start_date, assignment.end_date)


def _check_assignment(
    *,
    employee: Employee,
    position: Position,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
    assignment: Assignment | None = None,
) -> None:
    """The rules of the module docstring for a new period (of `assignment`, when it is being
    changed); raises ValidationFailed naming who is in the way."""
    if end_date is not None and end_date < start_date:
        raise ValidationFailed({"end_date": [_("The end date cannot be before the start date.")]})
    if kind == Assignment.Kind.PLH and end_date is None:
        raise ValidationFailed({"end_date": [_("A Plh stands in temporarily: give an end date.")]})
    if position.is_archived:
        raise ValidationFailed({"position": [_("This position has been archived.")]})
    if employee.is_archived:
        raise ValidationFailed({"employee": [_("This employee has been archived.")]})
    period = (start_date, end_date)
    current = [
        other
        for other in Assignment.objects.filter(archived_at__isnull=True)
        .filter(
            models.Q(position=position)
            | models.Q(employee=employee, kind=Assignment.Kind.DEFINITIVE)
        )
        .select_related("employee", "position")
        if assignment is None or other.pk != assignment.pk
    ]
    clashing = [a for a in current if overlaps(_period(a), period)]
    on_position = [a for a in clashing if a.position_id == position.pk]

    def first(kind_: str) -> Assignment | None:
        return next((a for a in on_position if a.kind == kind_), None)

    def describe(other: Assignment) -> dict[str, str]:
        return {
            "name": other.employee.name,
            "position": other.position.title,
            "start": other.start_date.strftime("%d-%m-%Y"),
        }

    same_person = next((a for a in on_position if a.employee_id == employee.pk), None)
    if same_person is not None:
        raise ValidationFailed(
            _("%(name)s already holds this position in that period (from %(start)s).")
            % describe(same_person)
        )
    definitive = first(Assignment.Kind.DEFINITIVE)
    plt = first(Assignment.Kind.PLT)
    plh = first(Assignment.Kind.PLH)
    if kind == Assignment.Kind.DEFINITIVE:
        elsewhere = next(
            (
                a
                for a in clashing
                if a.employee_id == employee.pk and a.kind == Assignment.Kind.DEFINITIVE
            ),
            None,
        )
        if elsewhere is not None:
            raise ValidationFailed(
                _(
                    "%(name)s already holds the position %(position)s definitively in that "
                    "period (from %(start)s). End that assignment first."
                )
                % describe(elsewhere)
            )
        if definitive is not None:
            raise ValidationFailed(
                _(
                    "The position already has a definitive holder in that period: %(name)s "
                    "(from %(start)s). End that assignment first."
                )
                % describe(definitive)
            )
        if plt is not None:
            raise ValidationFailed(
                _(
                    "%(name)s serves as Plt in that period (from %(start)s). End the Plt "
                    "assignment before appointing a definitive holder."
                )
                % describe(plt)
            )
    elif kind == Assignment.Kind.PLT:
        if definitive is not None:
            raise ValidationFailed(
                _(
                    "A Plt is appointed only to a vacant position, but %(name)s holds it "
                    "definitively in that period (from %(start)s). Appoint a Plh instead."
                )
                % describe(definitive)
            )
        if plt is not None:
            raise ValidationFailed(
                _("%(name)s already serves as Plt in that period (from %(start)s).") % describe(plt)
            )
    else:
        if plh is not None:
            raise ValidationFailed(
                _("%(name)s already serves as Plh in that period (from %(start)s).") % describe(plh)
            )
        holders = [
            _period(a)
            for a in current
            if a.position_id == position.pk
            and a.kind in (Assignment.Kind.DEFINITIVE, Assignment.Kind.PLT)
        ]
        if not covers(holders, period):
            raise ValidationFailed(
                _(
                    "A Plh stands in for a definitive holder or a Plt who is away, but the "
                    "position has no such holder for the whole period."
                )
            )


def _assignment_create(
    *,
    actor: UserScope,
    employee: Employee,
    position: Position,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
    decree_number: str,
) -> Assignment:
    # Serialise assignments to one position: two people appointing at once get one clear refusal.
    Position.objects.select_for_update().filter(pk=position.pk).first()
    if kind not in Assignment.Kind.values:
        raise ValidationFailed({"kind": [_("Choose definitive, Plt or Plh.")]})
    _check_assignment(
        employee=employee, position=position, kind=kind, start_date=start_date, end_date=end_date
    )
    values = {
        "employee": employee,
        "position": position,
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "decree_number": decree_number.strip(),
    }
    return _create(Assignment, actor, values)


@transaction.atomic
def assignment_create(
    *,
    actor: UserScope,
    employee: Employee,
    position: Position,
    kind: str = Assignment.Kind.DEFINITIVE,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    decree_number: str = "",
) -> Assignment:
    """Appoint an employee to a position, definitively or as Plt/Plh (rules: module docstring)."""
    access_agency_for_organization(actor, position.agency)
    return _assignment_create(
        actor=actor,
        employee=employee,
        position=position,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        decree_number=decree_number,
    )


@transaction.atomic
def assignment_end(
    *, actor: UserScope, assignment: Assignment, end_date: datetime.date, reason: str = ""
) -> Assignment:
    """Set (or move) the last day of an assignment; a later date must not clash with others."""
    access_agency_for_organization(actor, assignment.position.agency)
    Position.objects.select_for_update().filter(pk=assignment.position_id).first()
    _check_assignment(
        employee=assignment.employee,
        position=assignment.position,
        kind=assignment.kind,
        start_date=assignment.start_date,
        end_date=end_date,
        assignment=assignment,
    )
    _update(assignment, actor, {"end_date": end_date}, reason=reason)
    return assignment


# --- teams -----------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor: UserScope,
    agency: Agency,
    kind: str,
    name: str,
    year: int,
    decree_number: str = "",
) -> Team:
    access_agency_for_organization(actor, agency)
    values = {
        "agency": agency,
        "kind": kind,
        "name": name.strip(),
        "year": year,
        "decree_number": decree_number.strip(),
    }
    return _create(Team, actor, values)


@transaction.atomic
def team_member_add(
    *, actor: UserScope, team: Team, employee: Employee, role: str = TeamMember.Role.MEMBER
) -> TeamMember:
    """Seat an employee of the team's agency in the team.

    Someone who left the team and comes back gets a new seat; the old one stays
    in the team's history.
    """
    access_agency_for_organization(actor, team.agency)
    # Serialise changes to one team's seats: two people adding the same member at once
    # give one seat and one clear refusal.
    Team.objects.select_for_update().filter(pk=team.pk).first()
    works_here = Assignment.objects.filter(
        employee=employee, position__agency_id=team.agency_id, archived_at__isnull=True
    ).exists()
    if not works_here:
        raise ValidationFailed({"employee": [_("Choose an employee of this agency.")]})
    if TeamMember.objects.filter(team=team, employee=employee, archived_at__isnull=True).exists():
        raise ValidationFailed(
            {
                "employee": [
                    _("%(name)s is already a member of this team.") % {"name": employee.name}
                ]
            }
        )
    values = {"team": team, "employee": employee, "role": role}
    return _create(TeamMember, actor, values)


@transaction.atomic
def team_member_remove(*, actor: UserScope, member: TeamMember, reason: str = "") -> TeamMember:
    """Take an employee out of a team: the seat is archived (it shows in the team's history)."""
    access_agency_for_organization(actor, member.team.agency)
    seat = TeamMember.objects.select_for_update().select_related("employee").get(pk=member.pk)
    if seat.is_archived:
        raise Conflict(_("%(name)s has already left the team.") % {"name": seat.employee.name})
    _archive(seat, actor, reason=reason)
    return seat
