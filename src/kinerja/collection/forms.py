"""Forms of the collection pages: create a collection, save a worksheet row, add evidence,
review, and the coordinator's data holders, deadlines and tolerance."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kinerja.collection.models import PERIOD_CHOICES
from kinerja.core.forms import NumberField
from kinerja.organizations.models import Agency, Employee
from kinerja.workflow.models import SopVersion


class SopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(name)s (revision %(version)s)") % {"name": obj.name, "version": obj.version}


class CollectionCreateForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES)
    sop = SopChoiceField(
        label=_("SOP"),
        queryset=SopVersion.objects.none(),
        required=False,
        empty_label=_("No SOP (5 working days for the units)"),
        help_text=_("The Pengumpulan Data Kinerja SOP to run; its steps set the deadlines."),
    )

    def __init__(self, *args: Any, agencies: list[Agency], sops: list[SopVersion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        sop_field = self.fields["sop"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        assert isinstance(sop_field, forms.ModelChoiceField)
        agency_field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        sop_field.queryset = SopVersion.objects.filter(pk__in=[s.pk for s in sops])


class RowForm(forms.Form):
    """One worksheet row as the grid posts it; numbers the Indonesian way."""

    value = NumberField(label=_("Realisation"))
    numerator = NumberField(label=_("Numerator"))
    denominator = NumberField(label=_("Denominator"))
    analysis = forms.CharField(label=_("Analysis"), required=False, widget=forms.Textarea)
    obstacles = forms.CharField(label=_("Obstacles"), required=False, widget=forms.Textarea)
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea)
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    #: sent by "replace theirs with my text" after a conflict: the version the user
    #: has now seen and chooses to replace
    replace_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def entry(self) -> dict[str, Any]:
        """The keyword arguments of `services.entry_record`."""
        data = dict(self.cleaned_data)
        replace = data.pop("replace_version")
        if replace is not None:
            data["expected_version"] = replace
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


#: the longest reason a reviewer or the Kepala Dinas may give
REASON_MAX = 4000


class RevisionForm(forms.Form):
    """A review action on what the user saw: the worksheet's revision when the page was drawn."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ReviewForm(RevisionForm):
    """A review decision with a note; the notes at rows come as `row_reason_<row id>` fields."""

    reason = forms.CharField(
        label=_("Note or reason for returning"),
        widget=forms.Textarea,
        max_length=REASON_MAX,
        required=False,
    )

    ROW_PREFIX = "row_reason_"

    def clean(self) -> dict[str, Any]:
        """Adds `row_reasons`: row id → the reason typed at that row (blank ones left out)."""
        cleaned = super().clean() or {}
        reasons = {}
        for key, value in self.data.items():
            suffix = key.removeprefix(self.ROW_PREFIX)
            if key.startswith(self.ROW_PREFIX) and suffix.isdigit() and value.strip():
                if len(value) > REASON_MAX:
                    raise forms.ValidationError(
                        _("A row's reason may be at most %(limit)s characters long."),
                        params={"limit": REASON_MAX},
                    )
                reasons[int(suffix)] = value.strip()
        cleaned["row_reasons"] = reasons
        return cleaned


class ReturnForm(ReviewForm):
    """A return: its reason is mandatory."""

    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea, max_length=REASON_MAX
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea, max_length=REASON_MAX
    )


class CollectionSettingsForm(forms.Form):
    deviation_percent = NumberField(
        label=_("Deviation needing an explanation (%)"),
        max_digits=6,
        decimal_places=2,
        required=True,
        help_text=_(
            "A realisation further than this from the target or from the previous quarter "
            "must be explained before the worksheet is submitted. The default is 50."
        ),
    )


class DataHolderForm(forms.Form):
    data_holder = forms.ModelChoiceField(
        label=_("Data holder"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )

    def __init__(self, *args: Any, choices: QuerySet[Employee], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["data_holder"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choices


class DeadlineForm(forms.Form):
    """A deadline typed in the government's own time zone (WIB, WITA or WIT)."""

    deadline = forms.DateTimeField(
        label=_("Deadline"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
