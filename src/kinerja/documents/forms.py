"""Forms of the document pages; they parse input, the services check and store."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.documents.generators import FieldType, Layout
from kinerja.documents.models import DocumentKind
from kinerja.documents.uploads import limit_text

ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, PNG, JPEG, Word (docx) or Excel (xlsx), at most %(limit)s.")
        % {"limit": limit_text()},
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Document title"), max_length=250)
    subject = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.order_fields(["kind", "title", "file", "subject", "note"])


class VersionForm(forms.Form):
    note = forms.CharField(label=_("What changed"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.order_fields(["file", "note"])


class NumberForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to take the next number of the agency's register."),
    )


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class GenerateForm(forms.Form):
    """Title, whether to number now, and the fields of one kind's layout."""

    title = forms.CharField(label=_("Document title"), max_length=250)
    number = forms.BooleanField(
        label=_("Give it a number now"),
        required=False,
        help_text=_("The number is printed on the document."),
    )

    def __init__(self, *args: Any, layout: Layout, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layout = layout
        self.fields["number"].initial = layout.numbered_by_default
        for spec in layout.fields:
            self.fields[spec.name] = _layout_field(spec.type, spec.label, spec.required)
            self.fields[spec.name].help_text = spec.help_text

    def values(self) -> dict[str, str]:
        """The layout's fields as the text `document_generate` reads (dates as yyyy-mm-dd)."""
        values = {}
        for spec in self.layout.fields:
            value = self.cleaned_data.get(spec.name)
            values[spec.name] = (
                value.isoformat() if isinstance(value, datetime.date) else value or ""
            )
        return values


def _layout_field(kind: FieldType, label: Any, required: bool) -> forms.Field:
    if kind is FieldType.DATE:
        return forms.DateField(label=label, required=required, widget=DateInput())
    if kind is FieldType.TEXT:
        return forms.CharField(label=label, required=required, max_length=300)
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 4}))
