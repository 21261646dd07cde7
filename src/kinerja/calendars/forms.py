"""Forms of the calendar pages; they parse input, the services validate and write."""

from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.calendars.models import Holiday, WorkingCalendar
from kinerja.workflow.domain import worktime


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class HolidayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=Holiday.Kind.choices, initial=Holiday.Kind.REGIONAL
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


class PeriodsField(forms.CharField):
    """ "08:00-12:00, 13:00-17:00" → a tuple of `worktime.Period` (empty text: none)."""

    def clean(self, value: Any) -> tuple[worktime.Period, ...]:  # type: ignore[override]
        text = super().clean(value)
        try:
            return worktime.parse_periods(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Write the hours as 08:00-12:00, 13:00-17:00 (24-hour clock).")
            ) from exc


class WorkingCalendarForm(forms.Form):
    """Working days, the hours of every working day, and optionally other hours per weekday.

    The weekday fields are named `periods_0` (Monday) … `periods_6` (Sunday),
    the keys the service reports errors under.
    """

    working_weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Working days"),
        choices=list(WEEKDAYS.items()),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    periods = PeriodsField(
        label=gettext_lazy("Working hours"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("For example 08:00-12:00, 13:00-17:00 (the break is not counted)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, day_name in WEEKDAYS.items():
            self.fields[f"periods_{day}"] = PeriodsField(
                label=_("Hours on %(day)s") % {"day": day_name},
                required=False,
                max_length=200,
                help_text=_("Leave empty to use the working hours above."),
            )

    @staticmethod
    def initial_for(calendar: WorkingCalendar) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "working_weekdays": calendar.working_weekdays,
            "periods": worktime.format_periods(worktime.periods_from_json(calendar.periods)),
        }
        for day, raw in calendar.weekday_periods.items():
            initial[f"periods_{day}"] = worktime.format_periods(worktime.periods_from_json(raw))
        return initial

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `services.working_calendar_update` takes it."""
        data = self.cleaned_data
        return {
            "working_weekdays": data["working_weekdays"],
            "periods": data["periods"],
            "weekday_periods": {
                day: data[f"periods_{day}"] for day in WEEKDAYS if data.get(f"periods_{day}")
            },
        }
