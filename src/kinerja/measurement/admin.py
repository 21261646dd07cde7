"""Admin: predikat scales (validated), realisasi read-only with every version shown.

Realisasi change only through `measurement.services.realization_record`, which
keeps the versions; the admin therefore only shows them.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.measurement.models import RatingScale, Realization, RealizationRevision
from kinerja.measurement.selectors import rating_scale_from_bands


class RatingScaleForm(forms.ModelForm):
    class Meta:
        model = RatingScale
        fields = ["government", "year", "bands"]
        help_texts = {
            "bands": gettext_lazy(
                'Highest band first, for example [{"min": "91", "label": "Sangat Tinggi"}, '
                '{"min": "76", "label": "Tinggi"}]. Without a scale the default one applies.'
            )
        }

    def clean_bands(self) -> Any:
        bands = self.cleaned_data["bands"]
        try:
            rating_scale_from_bands(bands)
        except (KeyError, TypeError, ValueError) as exc:
            raise forms.ValidationError(
                _(
                    "Enter a list of bands, highest first, each with a lower bound "
                    '"min" and a "label", for example '
                    '[{"min": "91", "label": "Sangat Tinggi"}].'
                )
            ) from exc
        return bands


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    form = RatingScaleForm
    list_display = ["government", "year"]
    list_filter = ["year"]
    search_fields = ["government__name"]
    list_select_related = ["government"]


class RealizationRevisionInline(admin.TabularInline):
    model = RealizationRevision
    fields = readonly_fields = (
        "version",
        "value",
        "previous_value",
        "numerator",
        "denominator",
        "source",
        "note",
        "recorded_by",
        "recorded_at",
    )
    extra = 0
    can_delete = False
    ordering = ["version"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Realization)
class RealizationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "quarter", "value", "version", "source", "recorded_at"]
    list_filter = ["year", "quarter", "source"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator"]
    readonly_fields = [
        "indicator",
        "year",
        "quarter",
        "value",
        "numerator",
        "denominator",
        "version",
        "source",
        "recorded_by",
        "recorded_at",
    ]
    inlines = [RealizationRevisionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
