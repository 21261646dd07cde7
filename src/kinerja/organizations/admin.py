"""Django admin for the organisation's master data (for superusers and data stewards).

Edits here bypass the services' rules (e.g. Plt/Plh overlaps): the admin is
the place to repair data, the web pages are the place to run the organisation.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kinerja.organizations.domain.nip import format_nip, normalize_nip
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


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Government administrator"), {"fields": ("administered_government",)}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "administered_government",
        "is_staff",
        "is_active",
    )
    list_filter = (*DjangoUserAdmin.list_filter, "administered_government")
    autocomplete_fields = ("administered_government",)


@admin.register(Government)
class GovernmentAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "code", "time_zone", "parent", "archived_at")
    list_filter = ("level", "time_zone")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)


class OrgUnitInline(admin.TabularInline):
    model = OrgUnit
    fields = ("name", "kind", "code", "parent", "sort_order", "archived_at")
    extra = 0
    show_change_link = True


class PositionInline(admin.TabularInline):
    model = Position
    fields = (
        "title",
        "code",
        "role_key",
        "unit",
        "superior",
        "echelon",
        "sort_order",
        "archived_at",
    )
    extra = 0
    show_change_link = True


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "government", "kind", "is_coordinating", "archived_at")
    list_filter = ("kind", "is_coordinating", "government")
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ("government",)
    inlines = (OrgUnitInline, PositionInline)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "kind", "parent", "sort_order", "archived_at")
    list_filter = ("kind", "agency__government")
    search_fields = ("name", "code", "agency__name")
    autocomplete_fields = ("agency", "parent")
    list_select_related = ("agency", "parent")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ("position", "kind", "start_date", "end_date", "decree_number", "archived_at")
    autocomplete_fields = ("position",)
    extra = 0


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("title", "agency", "unit", "role_key", "echelon", "archived_at")
    list_filter = ("role_key", "agency__government")
    search_fields = ("title", "code", "agency__name")
    autocomplete_fields = ("agency", "unit", "superior")
    list_select_related = ("agency", "unit")


class EmployeeAdminForm(forms.ModelForm):
    """Accepts the NIP as printed ("19770415 199612 2 001") and stores the 18 digits."""

    nip = forms.CharField(label=_("NIP"), max_length=30, required=False)

    class Meta:
        model = Employee
        fields = ("user", "name", "nip", "rank", "grade", "email", "archived_at")

    def clean_nip(self) -> str | None:
        """Spaces removed; the model's validator then checks the digits."""
        return normalize_nip(self.cleaned_data.get("nip") or "") or None


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    form = EmployeeAdminForm
    list_display = ("name", "printed_nip", "rank", "grade", "user", "archived_at")
    search_fields = ("name", "nip", "user__username")
    autocomplete_fields = ("user",)
    inlines = (AssignmentInline,)

    @admin.display(description=_("NIP"), ordering="nip")
    def printed_nip(self, employee: Employee) -> str:
        return format_nip(employee.nip) if employee.nip else "–"


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("employee", "position", "kind", "start_date", "end_date", "archived_at")
    list_filter = ("kind", "position__agency")
    search_fields = ("employee__name", "employee__nip", "position__title", "decree_number")
    autocomplete_fields = ("employee", "position")
    list_select_related = ("employee", "position")
    date_hierarchy = "start_date"


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    fields = ("employee", "role", "archived_at")
    readonly_fields = ("archived_at",)
    autocomplete_fields = ("employee",)
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "kind", "agency", "decree_number", "archived_at")
    list_filter = ("kind", "year")
    search_fields = ("name", "agency__name", "decree_number", "members__employee__nip")
    autocomplete_fields = ("agency",)
    inlines = (TeamMemberInline,)
