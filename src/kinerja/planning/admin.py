"""Django admin of planning, for administrators' corrections; the pages are the everyday tool.

Nothing here deletes: records are archived, signed PKs are read-only.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kinerja.planning.models import (
    AgreementLine,
    AgreementProgram,
    AnnualTarget,
    Goal,
    Indicator,
    IndividualIndicator,
    Objective,
    PerformanceAgreement,
    QuarterlyTarget,
    StrategicPlan,
)


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["code", "statement", "sort_order", "archived_at"]


@admin.register(StrategicPlan)
class StrategicPlanAdmin(NoDeleteAdmin):
    list_display = ["title", "agency", "start_year", "end_year", "archived_at"]
    list_filter = ["agency__government", "start_year"]
    search_fields = ["title", "agency__name"]
    list_select_related = ["agency"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(NoDeleteAdmin):
    list_display = ["code", "statement", "plan"]
    list_filter = ["plan__agency"]
    search_fields = ["code", "statement"]
    list_select_related = ["plan"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "name", "unit_of_measure", "polarity", "aggregation", "is_key", "sort_order"]
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(NoDeleteAdmin):
    list_display = ["code", "statement", "level", "plan", "unit"]
    list_filter = ["level", "plan__agency"]
    search_fields = ["code", "statement"]
    list_select_related = ["plan", "unit"]
    raw_id_fields = ["parent"]
    inlines = [IndicatorInline]


class AnnualTargetInline(admin.TabularInline):
    model = AnnualTarget
    extra = 0
    fields = ["year", "value", "low", "high"]


@admin.register(Indicator)
class IndicatorAdmin(NoDeleteAdmin):
    list_display = [
        "code",
        "name",
        "objective",
        "unit_of_measure",
        "polarity",
        "aggregation",
        "is_key",
        "responsible_unit",
    ]
    list_filter = ["polarity", "aggregation", "is_key", "objective__plan__agency"]
    search_fields = ["code", "name"]
    list_select_related = ["objective", "responsible_unit"]
    raw_id_fields = ["objective", "responsible_unit"]
    inlines = [AnnualTargetInline]


class AgreementLineInline(admin.TabularInline):
    model = AgreementLine
    extra = 0
    fields = ["sort_order", "objective", "indicator", "value", "low", "high"]
    raw_id_fields = ["objective", "indicator"]
    show_change_link = True


class AgreementProgramInline(admin.TabularInline):
    model = AgreementProgram
    extra = 0
    fields = ["sort_order", "name", "budget"]


def _is_signed(obj: Any) -> bool:
    agreement = getattr(obj, "agreement", obj)
    return bool(agreement and agreement.status == PerformanceAgreement.Status.SIGNED)


class SignedReadOnlyMixin:
    """A signed PK (and everything in it) cannot change, not even here."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_signed(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SignedReadOnlyInlineMixin(SignedReadOnlyMixin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_signed(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]


class SignedReadOnlyLineInline(SignedReadOnlyInlineMixin, AgreementLineInline):
    pass


class SignedReadOnlyProgramInline(SignedReadOnlyInlineMixin, AgreementProgramInline):
    pass


@admin.register(PerformanceAgreement)
class PerformanceAgreementAdmin(SignedReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "position",
        "year",
        "version",
        "status",
        "effective_date",
        "holder",
        "superior",
    ]
    list_filter = ["year", "status", "position__agency"]
    search_fields = ["position__title", "holder__name", "holder__nip"]
    list_select_related = ["position", "holder", "superior"]
    raw_id_fields = ["position", "holder", "superior", "supersedes"]
    inlines = [SignedReadOnlyLineInline, SignedReadOnlyProgramInline]


class QuarterlyTargetInline(SignedReadOnlyInlineMixin, admin.TabularInline):
    model = QuarterlyTarget
    extra = 0
    fields = ["quarter", "value", "low", "high", "action"]


@admin.register(AgreementLine)
class AgreementLineAdmin(SignedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["agreement", "indicator", "value", "low", "high"]
    list_filter = ["agreement__year", "agreement__status"]
    search_fields = ["indicator__code", "indicator__name", "agreement__position__title"]
    list_select_related = ["agreement", "indicator"]
    raw_id_fields = ["agreement", "objective", "indicator"]
    inlines = [QuarterlyTargetInline]


@admin.register(IndividualIndicator)
class IndividualIndicatorAdmin(NoDeleteAdmin):
    list_display = ["employee", "position", "year", "name", "value", "unit_of_measure"]
    list_filter = ["year", "polarity", "position__agency"]
    search_fields = ["employee__name", "employee__nip", "name"]
    list_select_related = ["employee", "position"]
    raw_id_fields = ["employee", "position", "parent_line"]
