"""Forms of the collection pages: create a collection, save a worksheet row, add evidence."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.collection.models import PERIOD_CHOICES
from kinerja.core.forms import NumberField
from kinerja.organizations.models import Agency
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

    def entry(self) -> dict[str, Any]:
        """The keyword arguments of `services.entry_record`."""
        return dict(self.cleaned_data)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
