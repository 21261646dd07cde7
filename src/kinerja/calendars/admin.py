"""Django admin for the working calendars (for superusers repairing data; no rules enforced)."""

from django.contrib import admin
from django.http import HttpRequest

from kinerja.calendars.models import Holiday, WorkingCalendar


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(admin.ModelAdmin):
    list_display = ("government", "working_weekdays", "periods", "updated_at")
    search_fields = ("government__name",)
    autocomplete_fields = ("government",)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "government", "kind", "source", "archived_at")
    list_filter = ("kind", "source", "government")
    search_fields = ("name", "government__name")
    date_hierarchy = "date"
    autocomplete_fields = ("government",)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Holidays are archived, never deleted: set `archived at` instead."""
        return False
