"""Forms of the organisation pages; they parse input, the services validate and write."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.organizations.access import UserScope
from kinerja.organizations.domain.nip import format_nip
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    OrgUnit,
    Position,
    RoleKey,
    Team,
    TeamMember,
)
from kinerja.organizations.selectors import (
    employee_choices,
    position_choices,
    team_member_choices,
    unit_choices,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Short and unique in the agency, e.g. bidang-ukm."),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=OrgUnit.objects.none(), required=False
    )
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)

    def __init__(
        self,
        *args: Any,
        scope: UserScope,
        agency: Agency,
        unit: OrgUnit | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        parents = unit_choices(scope=scope, agency=agency)
        self.fields["parent"].queryset = parents.exclude(pk=unit.pk) if unit else parents  # type: ignore[attr-defined]


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    code = forms.SlugField(label=_("Code"), max_length=60)
    role_key = forms.ChoiceField(
        label=_("Role"),
        choices=RoleKey.choices,
        help_text=_("What this position does in the SOPs."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Empty for the head of the agency."),
    )
    superior = forms.ModelChoiceField(
        label=_("Direct superior"), queryset=Position.objects.none(), required=False
    )
    echelon = forms.CharField(label=_("Echelon"), max_length=10, required=False)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)

    def __init__(
        self,
        *args: Any,
        scope: UserScope,
        agency: Agency,
        position: Position | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(scope=scope, agency=agency)  # type: ignore[attr-defined]
        superiors = position_choices(scope=scope, agency=agency)
        self.fields["superior"].queryset = (  # type: ignore[attr-defined]
            superiors.exclude(pk=position.pk) if position else superiors
        )


class NipField(forms.CharField):
    """Accepts the NIP as printed ("19770415 199612 2 001"); the service validates it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("NIP"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _(
                "18 digits; spaces are allowed, e.g. 19770415 199612 2 001. "
                "Empty for non-ASN staff."
            ),
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class EmployeeForm(forms.Form):
    name = forms.CharField(label=_("Name with titles"), max_length=200)
    nip = NipField()
    rank = forms.CharField(label=_("Rank (pangkat)"), max_length=100, required=False)
    grade = forms.CharField(
        label=_("Grade (golongan)"), max_length=10, required=False, help_text=_("e.g. IV/a")
    )
    email = forms.EmailField(label=_("E-mail"), required=False)


def _today() -> datetime.date:
    return timezone.localdate()


class EmployeeCreateForm(EmployeeForm):
    """A new employee with their first assignment (an employee belongs to an agency through it)."""

    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of assignment"),
        choices=Assignment.Kind.choices,
        initial=Assignment.Kind.DEFINITIVE,
    )
    start_date = _date(_("Start date"))
    end_date = _date(_("End date"), required=False)
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=100, required=False)

    def __init__(self, *args: Any, scope: UserScope, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = position_choices(scope=scope, agency=agency)  # type: ignore[attr-defined]
        self.fields["start_date"].initial = _today


class AssignmentForm(forms.Form):
    """Appoint an employee to a given position."""

    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of assignment"),
        choices=Assignment.Kind.choices,
        initial=Assignment.Kind.DEFINITIVE,
        help_text=_(
            "Plt: acting in a vacant position. Plh: standing in while the holder is away "
            "(needs an end date)."
        ),
    )
    start_date = _date(_("Start date"))
    end_date = _date(_("End date"), required=False)
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=100, required=False)

    def __init__(self, *args: Any, scope: UserScope, position: Position, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employee_choices(scope=scope, agency=position.agency)  # type: ignore[attr-defined]
        self.fields["employee"].label_from_instance = _employee_label  # type: ignore[attr-defined]
        self.fields["start_date"].initial = _today


def _employee_label(employee: Employee) -> str:
    return f"{employee.name} — {format_nip(employee.nip)}" if employee.nip else employee.name


class AssignmentEndForm(forms.Form):
    end_date = _date(_("Last day"))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ReasonForm(forms.Form):
    """The optional reason of an archiving action (a unit closed, a member leaving a team)."""

    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class TeamForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = _today().year


class TeamMemberForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none())
    role = forms.ChoiceField(
        label=_("Role in the team"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER
    )

    def __init__(self, *args: Any, scope: UserScope, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = team_member_choices(scope=scope, team=team)  # type: ignore[attr-defined]
        self.fields["employee"].label_from_instance = _employee_label  # type: ignore[attr-defined]
