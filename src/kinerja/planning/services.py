"""Writes of planning: indicators and their targets, Perjanjian Kinerja, Rencana Aksi, IKI.

Every function checks access first, runs in one transaction, appends a
ChangeRecord and raises `kinerja.core.errors` with messages naming the field.

Rules worth knowing:
- Polarity and aggregation are chosen on the indicator (here), never when
  data is entered; once a signed PK uses an indicator they are frozen.
- A PK is drafted, then signed (the time is kept); a signed PK never changes.
  A PK Perubahan is a new version (draft) copied from the signed one, with its
  own effective date and reason; the old version stays as it was.
- The second party is the holder of the position's direct superior. The head
  of an agency has no superior in Kinerja: the Gubernur, Bupati or Wali Kota
  signs as second party, recorded as an `ExternalParty` (name, title, NIP).
- Rencana Aksi cells are saved one at a time while the PK is a draft (drafting
  is incremental); a PK cannot be signed while any line's quarterly targets
  disagree with its year target.
"""

import datetime
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import Conflict, ValidationFailed
from kinerja.core.services import change_record_create, diff_fields
from kinerja.organizations.access import UserScope, access_agency_for_planning
from kinerja.organizations.domain.nip import InvalidNip, normalize_nip, parse_nip
from kinerja.organizations.models import Agency, Assignment, Employee, OrgUnit, Position
from kinerja.organizations.selectors import position_holder
from kinerja.organizations.validators import NIP_MESSAGES
from kinerja.planning.access import (
    access_agreement_for_edit,
    access_position_for_edit,
    ensure_draft,
)
from kinerja.planning.consistency import QUARTER_NAMES, as_target, format_target, line_problems
from kinerja.planning.domain.action_plan import Target
from kinerja.planning.domain.agreement_rules import TargetProblem, target_problems
from kinerja.planning.models import (
    Aggregation,
    AgreementLine,
    AgreementProgram,
    AnnualTarget,
    Indicator,
    IndividualIndicator,
    Objective,
    PerformanceAgreement,
    Polarity,
    QuarterlyTarget,
)

# ---------------------------------------------------------------- helpers


def _required_text(errors: dict[str, list[str]], field: str, value: str, label: str) -> None:
    if not value.strip():
        errors.setdefault(field, []).append(_("%(field)s is required.") % {"field": label})


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _target_errors(
    *,
    polarity: str,
    value: Decimal | None,
    low: Decimal | None,
    high: Decimal | None,
    required: bool = True,
) -> dict[str, list[str]]:
    """Target shape problems keyed by the field they concern (value, low, high)."""
    is_range = polarity == Polarity.RANGE
    messages = {
        TargetProblem.VALUE_REQUIRED: ("value", _("Enter the target.")),
        TargetProblem.BOUNDS_REQUIRED: (
            "low",
            _("This indicator has a target range: enter the lower and the upper bound."),
        ),
        TargetProblem.VALUE_NOT_ALLOWED: (
            "value",
            _("This indicator has a target range: leave the single target empty."),
        ),
        TargetProblem.BOUNDS_NOT_ALLOWED: (
            "low",
            _("This indicator has a single target: leave the lower and upper bound empty."),
        ),
        TargetProblem.NEGATIVE: (
            "low" if is_range else "value",
            _("A target may not be negative."),
        ),
        TargetProblem.RANGE_INVERTED: (
            "high",
            _("The upper bound must not be below the lower bound."),
        ),
    }
    errors: dict[str, list[str]] = {}
    for problem in target_problems(
        is_range=is_range, value=value, low=low, high=high, required=required
    ):
        field, message = messages[problem]
        errors.setdefault(field, []).append(message)
    return errors


def _agreement_agency(agreement: PerformanceAgreement) -> Agency:
    return agreement.position.agency


def _locked_draft(agreement: PerformanceAgreement) -> PerformanceAgreement:
    """Lock the PK row and make sure it is still a draft (signed PKs are immutable)."""
    return ensure_draft(PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk))


def _signed_title(assignment: Assignment) -> str:
    return f"{assignment.title_prefix}{assignment.position.title}"


# ---------------------------------------------------------------- indicators


@dataclass(frozen=True)
class IndicatorData:
    """Everything a planner decides about an indicator."""

    objective: Objective
    code: str
    name: str
    unit_of_measure: str
    polarity: str = Polarity.HIGHER_IS_BETTER
    aggregation: str = Aggregation.LAST_VALUE
    responsible_unit: OrgUnit | None = None
    is_key: bool = False
    evidence_required: bool = False
    definition: str = ""
    formula: str = ""
    numerator_label: str = ""
    denominator_label: str = ""
    data_source: str = ""
    baseline: Decimal | None = None
    sort_order: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _indicator_errors(*, data: IndicatorData, indicator: Indicator | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _required_text(errors, "code", data.code, _("Code"))
    _required_text(errors, "name", data.name, _("Indicator"))
    _required_text(errors, "unit_of_measure", data.unit_of_measure, _("Unit of measure"))
    if data.polarity not in Polarity.values:
        errors["polarity"] = [_("Choose how achievement is computed.")]
    if data.aggregation not in Aggregation.values:
        errors["aggregation"] = [_("Choose how quarterly values add up to the year.")]
    agency_id = data.objective.plan.agency_id
    if data.responsible_unit is not None and data.responsible_unit.agency_id != agency_id:
        errors["responsible_unit"] = [_("The responsible unit must belong to the same agency.")]
    if (data.numerator_label.strip() == "") != (data.denominator_label.strip() == ""):
        errors["denominator_label"] = [
            _("Give both the numerator and the denominator, or neither.")
        ]
    if data.baseline is not None and data.baseline < 0:
        errors["baseline"] = [_("The baseline may not be negative.")]
    same_code = Indicator.objects.filter(objective=data.objective, code=data.code.strip())
    if indicator is not None:
        same_code = same_code.exclude(pk=indicator.pk)
    if data.code.strip() and same_code.exists():
        errors["code"] = [
            _("This objective already has an indicator with code %(code)s.") % {"code": data.code}
        ]
    if indicator is not None:
        if indicator.objective.plan_id != data.objective.plan_id:
            errors["objective"] = [_("The objective must belong to the same strategic plan.")]
        errors.update(_frozen_rule_errors(indicator=indicator, data=data))
    return errors


def _frozen_rule_errors(*, indicator: Indicator, data: IndicatorData) -> dict[str, list[str]]:
    """Polarity/aggregation are frozen under a signed PK; range ↔ number never under targets."""
    errors: dict[str, list[str]] = {}
    changed = {
        name
        for name in ("polarity", "aggregation")
        if getattr(indicator, name) != getattr(data, name)
    }
    if not changed:
        return errors
    signed = indicator.agreement_lines.filter(
        agreement__status=PerformanceAgreement.Status.SIGNED
    ).exists()
    if signed:
        for name in changed:
            errors[name] = [
                _("A signed performance agreement uses this indicator; this can no longer change.")
            ]
        return errors
    switches_shape = (indicator.polarity == Polarity.RANGE) != (data.polarity == Polarity.RANGE)
    has_targets = (
        indicator.annual_targets.exists()
        or indicator.agreement_lines.exists()
        or indicator.realizations.exists()
    )
    if "polarity" in changed and switches_shape and has_targets:
        errors["polarity"] = [
            _(
                "Targets are already set as %(shape)s; a range indicator and a single-target "
                "indicator cannot be swapped."
            )
            % {
                "shape": _("a range")
                if indicator.polarity == Polarity.RANGE
                else _("single numbers")
            }
        ]
    return errors


def indicator_create(*, actor: UserScope, data: IndicatorData) -> Indicator:
    agency = data.objective.plan.agency
    access_agency_for_planning(actor, agency)
    _raise_if(_indicator_errors(data=data, indicator=None))
    values = data.as_dict() | {"code": data.code.strip(), "name": data.name.strip()}
    with transaction.atomic():
        indicator = Indicator.objects.create(**values)
        change_record_create(
            instance=indicator,
            action="create",
            user_id=actor.user_id,
            changes={key: (None, value) for key, value in values.items()},
        )
    return indicator


def indicator_update(*, actor: UserScope, indicator: Indicator, data: IndicatorData) -> Indicator:
    access_agency_for_planning(actor, indicator.objective.plan.agency)
    access_agency_for_planning(actor, data.objective.plan.agency)
    with transaction.atomic():
        indicator = (
            Indicator.objects.select_for_update().select_related("objective").get(pk=indicator.pk)
        )
        _raise_if(_indicator_errors(data=data, indicator=indicator))
        values = data.as_dict() | {"code": data.code.strip(), "name": data.name.strip()}
        changes = diff_fields(instance=indicator, values=values)
        if not changes:
            return indicator
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.save()
        change_record_create(
            instance=indicator, action="update", user_id=actor.user_id, changes=changes
        )
    return indicator


def annual_target_set(
    *,
    actor: UserScope,
    indicator: Indicator,
    year: int,
    value: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> AnnualTarget:
    """Set the Renstra target of an indicator for one year of the plan."""
    plan = indicator.objective.plan
    access_agency_for_planning(actor, plan.agency)
    errors: dict[str, list[str]] = {}
    if not plan.covers(year):
        errors["year"] = [
            _("The year must lie within the strategic plan (%(start)s–%(end)s).")
            % {"start": plan.start_year, "end": plan.end_year}
        ]
    errors.update(_target_errors(polarity=indicator.polarity, value=value, low=low, high=high))
    _raise_if(errors)
    with transaction.atomic():
        target = (
            AnnualTarget.objects.select_for_update().filter(indicator=indicator, year=year).first()
        )
        new = {"value": value, "low": low, "high": high}
        if target is None:
            target = AnnualTarget.objects.create(indicator=indicator, year=year, **new)
            change_record_create(
                instance=target,
                action="create",
                user_id=actor.user_id,
                changes={key: (None, val) for key, val in new.items() if val is not None},
            )
            return target
        changes = diff_fields(instance=target, values=new)
        if changes:
            for name, val in new.items():
                setattr(target, name, val)
            target.save()
            change_record_create(
                instance=target, action="update", user_id=actor.user_id, changes=changes
            )
    return target


# ---------------------------------------------------------------- Perjanjian Kinerja


def _parties(*, position: Position, day: datetime.date) -> tuple[Assignment, Assignment | None]:
    """Holder of the position and of its direct superior on `day` (Plh/Plt included)."""
    holder = position_holder(position=position, day=day)
    if holder is None:
        raise ValidationFailed(
            {
                "position": [
                    _(
                        "Nobody holds the position %(position)s on %(day)s; "
                        "record the assignment first."
                    )
                    % {"position": position.title, "day": day.strftime("%d-%m-%Y")}
                ]
            }
        )
    superior = None
    if position.superior is not None:
        superior = position_holder(position=position.superior, day=day)
        if superior is None:
            raise ValidationFailed(
                {
                    "position": [
                        _("Nobody holds the superior position %(position)s on %(day)s.")
                        % {"position": position.superior.title, "day": day.strftime("%d-%m-%Y")}
                    ]
                }
            )
    return holder, superior


@dataclass(frozen=True)
class ExternalParty:
    """A second party who is not an employee in Kinerja: the Gubernur, Bupati or Wali Kota.

    Only for a position without a direct superior (the head of the agency).
    The title is printed as the second party's position; the name and the NIP
    (a regional head usually has none) under the signature.
    """

    name: str = ""
    title: str = ""
    nip: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.title.strip() or self.nip.strip())

    def cleaned(self) -> "ExternalParty":
        return ExternalParty(
            name=self.name.strip(), title=self.title.strip(), nip=normalize_nip(self.nip)
        )

    @classmethod
    def of(cls, agreement: PerformanceAgreement) -> "ExternalParty":
        """The external second party recorded on a PK (empty when the second party is staff)."""
        if agreement.superior_id is not None:
            return cls()
        return cls(
            name=agreement.superior_name,
            title=agreement.superior_title,
            nip=agreement.superior_nip,
        )


def _external_party_errors(*, party: ExternalParty, position: Position) -> dict[str, list[str]]:
    if party.is_empty:
        return {}
    if position.superior is not None:
        return {
            "superior_name": [
                _(
                    "The second party is the holder of %(position)s, the direct superior in "
                    "Kinerja. A second party from outside Kinerja (Gubernur, Bupati, Wali Kota) "
                    "is only for a position without a superior, such as the head of the agency."
                )
                % {"position": position.superior.title}
            ]
        }
    errors: dict[str, list[str]] = {}
    if party.nip and not party.name:
        errors["superior_name"] = [_("Enter the name of the second party whose NIP is given.")]
    if party.name and not party.title:
        errors["superior_title"] = [
            _("Enter the second party's title, e.g. Gubernur Sulawesi Tengah.")
        ]
    if party.nip:
        try:
            parse_nip(party.nip)
        except InvalidNip as exc:
            errors["superior_nip"] = [str(NIP_MESSAGES[exc.problem])]
    return errors


def _second_party(
    superior: Assignment | None, party: ExternalParty
) -> dict[str, Employee | str | None]:
    """The second-party fields of a PK: the superior's holder, or the external party."""
    if superior is not None:
        return {
            "superior": superior.employee,
            "superior_title": _signed_title(superior),
            "superior_name": "",
            "superior_nip": "",
        }
    return {
        "superior": None,
        "superior_title": party.title,
        "superior_name": party.name,
        "superior_nip": party.nip,
    }


def _effective_date_errors(*, year: int, effective_date: datetime.date) -> dict[str, list[str]]:
    if effective_date.year != year:
        return {"effective_date": [_("The effective date must fall in %(year)s.") % {"year": year}]}
    return {}


def agreement_create(
    *,
    actor: UserScope,
    position: Position,
    year: int,
    effective_date: datetime.date,
    place: str = "",
    external_party: ExternalParty | None = None,
) -> PerformanceAgreement:
    """Draft the PK of `position` for `year`; the parties are whoever holds the positions then.

    `external_party` is the second party of a position without a superior in
    Kinerja (the head of the agency): the Gubernur, Bupati or Wali Kota.
    """
    agency = position.agency
    access_agency_for_planning(actor, agency)
    party = (external_party or ExternalParty()).cleaned()
    _raise_if(
        _effective_date_errors(year=year, effective_date=effective_date)
        | _external_party_errors(party=party, position=position)
    )
    holder, superior = _parties(position=position, day=effective_date)
    with transaction.atomic():
        if PerformanceAgreement.objects.filter(position=position, year=year).exists():
            raise ValidationFailed(
                {
                    "position": [
                        _(
                            "%(position)s already has a performance agreement for %(year)s; "
                            "open it, or make a PK Perubahan."
                        )
                        % {"position": position.title, "year": year}
                    ]
                }
            )
        agreement = PerformanceAgreement.objects.create(
            position=position,
            year=year,
            version=1,
            effective_date=effective_date,
            holder=holder.employee,
            holder_title=_signed_title(holder),
            **_second_party(superior, party),
            place=place.strip() or agency.government.capital,
        )
        change_record_create(
            instance=agreement,
            action="create",
            user_id=actor.user_id,
            changes={
                "year": (None, year),
                "effective_date": (None, effective_date),
                "holder": (None, agreement.holder_id),
                "superior": (None, agreement.superior_id),
                "superior_title": (None, agreement.superior_title),
                "superior_name": (None, agreement.superior_name),
                "superior_nip": (None, agreement.superior_nip),
            },
        )
    return agreement


def _line_target_errors(
    *, indicator: Indicator, value: Decimal | None, low: Decimal | None, high: Decimal | None
) -> dict[str, list[str]]:
    return _target_errors(polarity=indicator.polarity, value=value, low=low, high=high)


def agreement_line_add(
    *,
    actor: UserScope,
    agreement: PerformanceAgreement,
    indicator: Indicator,
    value: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> AgreementLine:
    """Add an indicator with the year's target to a draft PK (the objective is the indicator's)."""
    access_agreement_for_edit(actor, agreement)
    errors: dict[str, list[str]] = {}
    plan = indicator.objective.plan
    if plan.agency_id != agreement.position.agency_id or not plan.covers(agreement.year):
        errors["indicator"] = [
            _("Choose an indicator of this agency's strategic plan for %(year)s.")
            % {"year": agreement.year}
        ]
    errors.update(_line_target_errors(indicator=indicator, value=value, low=low, high=high))
    _raise_if(errors)
    with transaction.atomic():
        agreement = _locked_draft(agreement)
        if agreement.lines.filter(indicator=indicator).exists():
            raise ValidationFailed(
                {"indicator": [_("This indicator is already in the agreement.")]}
            )
        last = agreement.lines.aggregate(last=Max("sort_order"))["last"]
        line = AgreementLine.objects.create(
            agreement=agreement,
            objective=indicator.objective,
            indicator=indicator,
            value=value,
            low=low,
            high=high,
            sort_order=(last or 0) + 1,
        )
        change_record_create(
            instance=line,
            action="create",
            user_id=actor.user_id,
            changes={
                "indicator": (None, indicator.pk),
                "value": (None, value),
                "low": (None, low),
                "high": (None, high),
            },
        )
    return line


def agreement_line_update(
    *,
    actor: UserScope,
    line: AgreementLine,
    value: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> AgreementLine:
    """Change the year's target of a line of a draft PK."""
    access_agreement_for_edit(actor, line.agreement)
    _raise_if(_line_target_errors(indicator=line.indicator, value=value, low=low, high=high))
    with transaction.atomic():
        _locked_draft(line.agreement)
        line = AgreementLine.objects.select_for_update().get(pk=line.pk)
        changes = diff_fields(instance=line, values={"value": value, "low": low, "high": high})
        if changes:
            line.value, line.low, line.high = value, low, high
            line.save()
            change_record_create(
                instance=line, action="update", user_id=actor.user_id, changes=changes
            )
    return line


def agreement_program_add(
    *, actor: UserScope, agreement: PerformanceAgreement, name: str, budget: Decimal
) -> AgreementProgram:
    """Add a programme/activity with its budget (Rp) to a draft PK."""
    access_agreement_for_edit(actor, agreement)
    errors: dict[str, list[str]] = {}
    _required_text(errors, "name", name, _("Programme / activity"))
    if budget < 0:
        errors["budget"] = [_("The budget may not be negative.")]
    _raise_if(errors)
    with transaction.atomic():
        agreement = _locked_draft(agreement)
        last = agreement.programs.aggregate(last=Max("sort_order"))["last"]
        program = AgreementProgram.objects.create(
            agreement=agreement, name=name.strip(), budget=budget, sort_order=(last or 0) + 1
        )
        change_record_create(
            instance=program,
            action="create",
            user_id=actor.user_id,
            changes={"name": (None, program.name), "budget": (None, budget)},
        )
    return program


def agreement_sign(*, actor: UserScope, agreement: PerformanceAgreement) -> PerformanceAgreement:
    """Draft → signed (the time kept to the second), once every Rencana Aksi fits its target."""
    access_agency_for_planning(actor, _agreement_agency(agreement))
    with transaction.atomic():
        agreement = _locked_draft(agreement)
        lines = list(
            agreement.lines.select_related("indicator").prefetch_related("quarterly_targets")
        )
        if not lines:
            raise ValidationFailed(_("Add at least one indicator before signing."))
        errors: dict[str, list[str]] = {}
        for line in lines:
            for problem in line_problems(line, line.quarterly_targets.all()):
                errors.setdefault(f"line-{line.pk}", []).append(
                    _("Indicator %(code)s %(name)s: %(problem)s")
                    % {"code": line.indicator.code, "name": line.indicator.name, "problem": problem}
                )
        _raise_if(errors)
        agreement.status = PerformanceAgreement.Status.SIGNED
        agreement.signed_at = timezone.now().replace(microsecond=0)
        agreement.save(update_fields=["status", "signed_at", "updated_at"])
        change_record_create(
            instance=agreement,
            action="sign",
            user_id=actor.user_id,
            changes={
                "status": (PerformanceAgreement.Status.DRAFT, PerformanceAgreement.Status.SIGNED),
                "signed_at": (None, agreement.signed_at),
            },
        )
    return agreement


def agreement_revise(
    *,
    actor: UserScope,
    agreement: PerformanceAgreement,
    effective_date: datetime.date,
    reason: str,
    external_party: ExternalParty | None = None,
) -> PerformanceAgreement:
    """PK Perubahan: copy the signed version into a new draft version; the old one stays.

    The parties are whoever holds the positions on the new effective date. An
    external second party (`ExternalParty`) is carried over from the revised
    version unless `external_party` is given (e.g. a new Gubernur).
    """
    access_agency_for_planning(actor, _agreement_agency(agreement))
    position = agreement.position
    if external_party is None and position.superior is None:
        external_party = ExternalParty.of(agreement)
    party = (external_party or ExternalParty()).cleaned()
    errors = _external_party_errors(party=party, position=position)
    _required_text(errors, "reason", reason, _("Reason for revision"))
    errors.update(_effective_date_errors(year=agreement.year, effective_date=effective_date))
    if effective_date <= agreement.effective_date and "effective_date" not in errors:
        errors["effective_date"] = [
            _("The effective date must be after that of the version it revises (%(day)s).")
            % {"day": agreement.effective_date.strftime("%d-%m-%Y")}
        ]
    _raise_if(errors)
    holder, superior = _parties(position=position, day=effective_date)
    with transaction.atomic():
        old = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        if old.status != PerformanceAgreement.Status.SIGNED:
            raise ValidationFailed(
                _("Only a signed performance agreement can be revised; edit the draft instead.")
            )
        if PerformanceAgreement.objects.filter(
            position=old.position, year=old.year, version__gt=old.version
        ).exists():
            raise Conflict(_("This version has already been revised; open the newest version."))
        new = PerformanceAgreement.objects.create(
            position=old.position,
            year=old.year,
            version=old.version + 1,
            supersedes=old,
            effective_date=effective_date,
            status=PerformanceAgreement.Status.DRAFT,
            holder=holder.employee,
            holder_title=_signed_title(holder),
            **_second_party(superior, party),
            place=old.place,
            revision_reason=reason.strip(),
        )
        _copy_content(old=old, new=new)
        change_record_create(
            instance=new,
            action="revise",
            user_id=actor.user_id,
            changes={
                "supersedes": (None, old.pk),
                "effective_date": (old.effective_date, effective_date),
            },
            reason=new.revision_reason,
        )
    return new


def _copy_content(*, old: PerformanceAgreement, new: PerformanceAgreement) -> None:
    """Lines with their quarterly targets, and programmes, from `old` to `new`."""
    old_lines = list(old.lines.prefetch_related("quarterly_targets"))
    new_lines = AgreementLine.objects.bulk_create(
        AgreementLine(
            agreement=new,
            objective_id=line.objective_id,
            indicator_id=line.indicator_id,
            value=line.value,
            low=line.low,
            high=line.high,
            sort_order=line.sort_order,
        )
        for line in old_lines
    )
    if any(line.pk is None for line in new_lines):  # backends without RETURNING
        by_indicator = {line.indicator_id: line for line in new.lines.all()}
        new_lines = [by_indicator[line.indicator_id] for line in old_lines]
    QuarterlyTarget.objects.bulk_create(
        QuarterlyTarget(
            line=new_line,
            quarter=qt.quarter,
            value=qt.value,
            low=qt.low,
            high=qt.high,
            action=qt.action,
        )
        for old_line, new_line in zip(old_lines, new_lines, strict=True)
        for qt in old_line.quarterly_targets.all()
    )
    AgreementProgram.objects.bulk_create(
        AgreementProgram(agreement=new, name=p.name, budget=p.budget, sort_order=p.sort_order)
        for p in old.programs.all()
    )


# ---------------------------------------------------------------- Rencana Aksi


def quarterly_target_set(
    *,
    actor: UserScope,
    line: AgreementLine,
    quarter: int,
    value: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    seen: Target | None = None,
) -> QuarterlyTarget | None:
    """Save one Rencana Aksi cell of a draft PK (empty clears it).

    `seen` is the cell as the user last saw it: if someone else changed it
    since, nothing is saved and `Conflict` says what it is now. The PK row is
    locked, so a concurrent signature or edit waits. Whether the whole line is
    consistent is not checked here (drafting goes cell by cell) but when the
    PK is signed; see `kinerja.planning.consistency.line_problems`.
    """
    if quarter not in QUARTER_NAMES:
        raise ValidationFailed({"quarter": [_("The quarter must be TW I to TW IV.")]})
    access_agreement_for_edit(actor, line.agreement)
    _raise_if(
        _target_errors(
            polarity=line.indicator.polarity, value=value, low=low, high=high, required=False
        )
    )
    new = {"value": value, "low": low, "high": high}
    with transaction.atomic():
        _locked_draft(line.agreement)
        cell = QuarterlyTarget.objects.filter(line=line, quarter=quarter).first()
        current = as_target(cell)
        if current == Target(**new):
            return cell
        if seen is not None and seen != current:
            raise Conflict(
                _(
                    "Someone else has just changed the %(quarter)s target to %(value)s. "
                    "Check it and enter your value again."
                )
                % {"quarter": QUARTER_NAMES[quarter], "value": format_target(current)}
            )
        if cell is None:
            cell = QuarterlyTarget.objects.create(line=line, quarter=quarter, **new)
            changes = {key: (None, val) for key, val in new.items() if val is not None}
            action = "create"
        else:
            changes = diff_fields(instance=cell, values=new)
            cell.value, cell.low, cell.high = value, low, high
            cell.save()
            action = "update"
        change_record_create(instance=cell, action=action, user_id=actor.user_id, changes=changes)
    return cell


# ---------------------------------------------------------------- IKI


@dataclass(frozen=True)
class IndividualIndicatorData:
    """An IKI as the unit head or planner drafts it."""

    employee: Employee
    position: Position
    parent_line: AgreementLine
    name: str
    unit_of_measure: str
    polarity: str = Polarity.HIGHER_IS_BETTER
    aggregation: str = Aggregation.LAST_VALUE
    formula: str = ""
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _iki_errors(data: IndividualIndicatorData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _required_text(errors, "name", data.name, _("Individual indicator"))
    _required_text(errors, "unit_of_measure", data.unit_of_measure, _("Unit of measure"))
    if data.polarity not in Polarity.values:
        errors["polarity"] = [_("Choose how achievement is computed.")]
    if data.aggregation not in Aggregation.values:
        errors["aggregation"] = [_("Choose how quarterly values add up to the year.")]
    parent_agreement = data.parent_line.agreement
    if data.position.superior_id != parent_agreement.position_id:
        superior = data.position.superior
        errors["parent_line"] = [
            _("Cascade from the PK of the position's direct superior (%(superior)s).")
            % {"superior": superior.title if superior else _("none recorded")}
        ]
    year = parent_agreement.year
    holds = Assignment.objects.filter(
        employee=data.employee,
        position=data.position,
        archived_at__isnull=True,
        start_date__lte=datetime.date(year, 12, 31),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)))
    if not holds.exists():
        errors["employee"] = [
            _("%(employee)s does not hold the position %(position)s in %(year)s.")
            % {"employee": data.employee.name, "position": data.position.title, "year": year}
        ]
    errors.update(
        _target_errors(polarity=data.polarity, value=data.value, low=data.low, high=data.high)
    )
    return errors


def individual_indicator_create(
    *, actor: UserScope, data: IndividualIndicatorData
) -> IndividualIndicator:
    """Cascade an IKI for an employee from a PK line of their direct superior."""
    access_position_for_edit(actor, data.position)
    _raise_if(_iki_errors(data))
    values = data.as_dict() | {"name": data.name.strip(), "year": data.parent_line.agreement.year}
    with transaction.atomic():
        iki = IndividualIndicator.objects.create(**values)
        change_record_create(
            instance=iki,
            action="create",
            user_id=actor.user_id,
            changes={key: (None, val) for key, val in values.items() if val not in (None, "")},
        )
    return iki


def individual_indicator_update(
    *, actor: UserScope, individual_indicator: IndividualIndicator, data: IndividualIndicatorData
) -> IndividualIndicator:
    access_position_for_edit(actor, individual_indicator.position)
    access_position_for_edit(actor, data.position)
    _raise_if(_iki_errors(data))
    values = data.as_dict() | {"name": data.name.strip(), "year": data.parent_line.agreement.year}
    with transaction.atomic():
        iki = IndividualIndicator.objects.select_for_update().get(pk=individual_indicator.pk)
        changes = diff_fields(instance=iki, values=values)
        if changes:
            for name, val in values.items():
                setattr(iki, name, val)
            iki.save()
            change_record_create(
                instance=iki, action="update", user_id=actor.user_id, changes=changes
            )
    return iki
