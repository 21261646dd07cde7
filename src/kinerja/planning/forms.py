"""Forms of the planning pages. They parse input only; the services decide what is valid."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import NumberField
from kinerja.organizations.models import Assignment, Position
from kinerja.planning.domain.action_plan import Target
from kinerja.planning.models import (
    Aggregation,
    AgreementLine,
    Indicator,
    IndividualIndicator,
    Polarity,
)
from kinerja.planning.services import ExternalParty, IndicatorData, IndividualIndicatorData


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class TargetFields(forms.Form):
    """A target: one number, or a lower and upper bound for a target-range indicator."""

    value = NumberField(label=_("target"))
    low = NumberField(label=_("lower bound"))
    high = NumberField(label=_("upper bound"))

    def target(self) -> dict[str, Decimal | None]:
        return {name: self.cleaned_data.get(name) for name in ("value", "low", "high")}


class IndicatorForm(forms.Form):
    """The indicator's fields as the model defines them; the service validates and saves."""

    FIELDS = [
        "objective",
        "code",
        "name",
        "unit_of_measure",
        "polarity",
        "aggregation",
        "responsible_unit",
        "is_key",
        "evidence_required",
        "definition",
        "formula",
        "numerator_label",
        "denominator_label",
        "data_source",
        "baseline",
        "sort_order",
    ]

    def __init__(self, *args: Any, objectives: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Indicator,
                fields=self.FIELDS,
                widgets={
                    "name": forms.Textarea(attrs={"rows": 2}),
                    "definition": forms.Textarea(attrs={"rows": 3}),
                    "formula": forms.Textarea(attrs={"rows": 2}),
                },
                field_classes={"baseline": NumberField},
            )
        )
        self.fields["objective"].queryset = objectives  # type: ignore[attr-defined]
        self.fields["responsible_unit"].queryset = units  # type: ignore[attr-defined]

    def data_for_service(self) -> IndicatorData:
        return IndicatorData(**{name: self.cleaned_data[name] for name in self.FIELDS})


class AnnualTargetForm(TargetFields):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class ExternalPartyFields(forms.Form):
    """The second party from outside Kinerja (Gubernur, Bupati, Wali Kota) of a head of agency."""

    EXTERNAL_FIELDS = ("superior_title", "superior_name", "superior_nip")

    superior_title = forms.CharField(
        label=_("second party's title"),
        required=False,
        max_length=260,
        help_text=_(
            "Only for a position without a superior in Kinerja, such as the head of the agency: "
            "e.g. Gubernur Sulawesi Tengah, Bupati Balangan, Wali Kota Pematangsiantar."
        ),
    )
    superior_name = forms.CharField(label=_("second party's name"), required=False, max_length=200)
    superior_nip = forms.CharField(
        label=_("second party's NIP"),
        required=False,
        max_length=30,
        help_text=_("Optional: a Gubernur, Bupati or Wali Kota usually has no NIP."),
    )

    def external_party(self) -> ExternalParty | None:
        """What was entered, or None when the fields are not on the form."""
        if "superior_name" not in self.fields:
            return None
        return ExternalParty(
            name=self.cleaned_data["superior_name"],
            title=self.cleaned_data["superior_title"],
            nip=self.cleaned_data["superior_nip"],
        )

    def drop_external_party(self) -> None:
        """For a position whose second party is its superior's holder."""
        for name in self.EXTERNAL_FIELDS:
            del self.fields[name]

    @staticmethod
    def initial_for(party: ExternalParty) -> dict[str, str]:
        return {
            "superior_title": party.title,
            "superior_name": party.name,
            "superior_nip": party.nip,
        }


class AgreementCreateForm(ExternalPartyFields):
    position = forms.ModelChoiceField(label=_("position"), queryset=Position.objects.none())
    effective_date = forms.DateField(label=_("effective date"), widget=_date_widget())
    place = forms.CharField(label=_("place of signing"), required=False, max_length=100)

    field_order = ["position", "effective_date", "place", *ExternalPartyFields.EXTERNAL_FIELDS]

    def __init__(self, *args: Any, positions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions  # type: ignore[attr-defined]


class AgreementLineForm(TargetFields):
    indicator = forms.ModelChoiceField(label=_("indicator"), queryset=Indicator.objects.none())

    field_order = ["indicator", "value", "low", "high"]

    def __init__(self, *args: Any, indicators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]


class AgreementProgramForm(forms.Form):
    name = forms.CharField(label=_("programme / activity"), max_length=300)
    budget = NumberField(label=_("budget (Rp)"), max_digits=18, decimal_places=2, required=True)


class AgreementReviseForm(ExternalPartyFields):
    effective_date = forms.DateField(label=_("effective date"), widget=_date_widget())
    reason = forms.CharField(
        label=_("reason for revision"), widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["effective_date", "reason", *ExternalPartyFields.EXTERNAL_FIELDS]


class QuarterlyTargetCellForm(TargetFields):
    """One Rencana Aksi cell, with the stored value the user saw (for the concurrent-edit check)."""

    seen_value = forms.CharField(required=False, widget=forms.HiddenInput)
    seen_low = forms.CharField(required=False, widget=forms.HiddenInput)
    seen_high = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            cleaned["seen"] = Target(
                **{
                    name: Decimal(text) if (text := cleaned.get(f"seen_{name}")) else None
                    for name in ("value", "low", "high")
                }
            )
        except InvalidOperation:
            raise ValidationError(_("The page is out of date; reload it."), code="stale") from None
        return cleaned


class IndividualIndicatorForm(TargetFields):
    assignment = forms.ModelChoiceField(
        label=_("employee and position"), queryset=Assignment.objects.none()
    )
    parent_line = forms.ModelChoiceField(
        label=_("cascaded from"), queryset=AgreementLine.objects.none()
    )
    name = forms.CharField(
        label=_("individual indicator"), widget=forms.Textarea(attrs={"rows": 2})
    )
    unit_of_measure = forms.CharField(label=_("unit of measure"), max_length=60)
    polarity = forms.ChoiceField(label=_("polarity"), choices=Polarity.choices)
    aggregation = forms.ChoiceField(label=_("period aggregation"), choices=Aggregation.choices)
    formula = forms.CharField(
        label=_("formula"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = [
        "assignment",
        "parent_line",
        "name",
        "unit_of_measure",
        "polarity",
        "aggregation",
        "formula",
        "value",
        "low",
        "high",
    ]

    def __init__(self, *args: Any, assignments: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignment_field = self.fields["assignment"]
        assignment_field.queryset = assignments  # type: ignore[attr-defined]
        assignment_field.label_from_instance = _assignment_label  # type: ignore[attr-defined]
        line_field = self.fields["parent_line"]
        line_field.queryset = lines  # type: ignore[attr-defined]
        line_field.label_from_instance = _line_label  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(iki: IndividualIndicator, assignment: Assignment | None) -> dict[str, Any]:
        return {
            "assignment": assignment,
            "parent_line": iki.parent_line,
            "name": iki.name,
            "unit_of_measure": iki.unit_of_measure,
            "polarity": iki.polarity,
            "aggregation": iki.aggregation,
            "formula": iki.formula,
            "value": iki.value,
            "low": iki.low,
            "high": iki.high,
        }

    def data_for_service(self) -> IndividualIndicatorData:
        data = self.cleaned_data
        assignment: Assignment = data["assignment"]
        return IndividualIndicatorData(
            employee=assignment.employee,
            position=assignment.position,
            parent_line=data["parent_line"],
            name=data["name"],
            unit_of_measure=data["unit_of_measure"],
            polarity=data["polarity"],
            aggregation=data["aggregation"],
            formula=data["formula"],
            value=data["value"],
            low=data["low"],
            high=data["high"],
        )


def _assignment_label(assignment: Assignment) -> str:
    return f"{assignment.employee.name} — {assignment.title_prefix}{assignment.position.title}"


def _line_label(line: AgreementLine) -> str:
    agreement = line.agreement
    version = f" v{agreement.version}" if agreement.version > 1 else ""
    return f"{agreement.position.title}{version}: {line.indicator.code} {line.indicator.name}"
