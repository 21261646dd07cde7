"""Admin: documents and their versions read-only; number patterns editable.

Documents and versions change only through `documents.services`, which keep
every version and the change records; the admin therefore only shows them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kinerja.documents.models import Document, DocumentVersion, NumberSequence


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DocumentVersion
    fields = readonly_fields = (
        "version",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "generated",
        "note",
        "created_by",
        "created_at",
    )
    extra = 0
    ordering = ["version"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "number", "kind", "agency", "current_version", "created_at"]
    list_filter = ["kind", "held_by_record", "archived_at"]
    search_fields = ["title", "number", "agency__name"]
    list_select_related = ["agency"]
    inlines = [DocumentVersionInline]


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    """The pattern may be edited (its classification code); the counter may not."""

    list_display = ["agency", "kind", "year", "last", "pattern"]
    list_filter = ["year", "kind"]
    search_fields = ["agency__name"]
    list_select_related = ["agency"]
    readonly_fields = ["agency", "kind", "year", "last"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
