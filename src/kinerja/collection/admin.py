"""Admin: collections and worksheets to look at; values are shown, never edited here.

Entries are append-only and written only by `collection.services.entry_record`.
"""

from django.contrib import admin
from django.http import HttpRequest

from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Collection)
class CollectionAdmin(_ReadOnly):
    list_display = ["agency", "year", "period", "status", "process"]
    list_filter = ["status", "period", "year"]


@admin.register(Worksheet)
class WorksheetAdmin(_ReadOnly):
    list_display = ["collection", "unit", "deadline", "status", "revision"]
    list_filter = ["status"]


@admin.register(WorksheetRow)
class WorksheetRowAdmin(_ReadOnly):
    list_display = ["worksheet", "indicator", "target_value", "data_holder"]


@admin.register(Entry)
class EntryAdmin(_ReadOnly):
    list_display = ["row", "version", "value", "entered_by", "entered_at", "submission_no"]
