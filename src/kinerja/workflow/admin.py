"""Admin: the workflow's records, read-only.

SOP versions, processes, tasks and the event log change only through
`workflow.services` (the log is hash-chained: an edit here would break it),
so the admin shows them and changes nothing.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kinerja.workflow.models import (
    Notification,
    ProcessInstance,
    SopVersion,
    Task,
    TaskOutput,
    WorkflowEvent,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SopVersion)
class SopVersionAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "version", "agency", "imported_at", "imported_by"]
    list_filter = ["agency"]
    search_fields = ["name", "code", "agency__name"]
    list_select_related = ["agency", "imported_by"]
    exclude = ["data"]


@admin.register(ProcessInstance)
class ProcessInstanceAdmin(ReadOnlyAdmin):
    list_display = ["subject", "sop", "agency", "status", "year", "period", "created_at"]
    list_filter = ["status", "agency"]
    search_fields = ["subject", "sop__name", "agency__name"]
    list_select_related = ["sop", "agency"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["instance", "step_number", "slot", "actor_key", "assignee", "status", "due_at"]
    list_filter = ["status", "outcome"]
    search_fields = ["instance__subject", "assignee__name", "actor_key"]
    list_select_related = ["instance__sop", "assignee"]


@admin.register(TaskOutput)
class TaskOutputAdmin(ReadOnlyAdmin):
    list_display = ["task", "output_name", "document", "added_by", "added_at"]
    list_select_related = ["task__instance__sop", "document", "added_by"]


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    list_display = ["instance", "sequence", "kind", "user", "at", "hash"]
    list_filter = ["kind"]
    list_select_related = ["instance__sop", "user"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "task", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["user", "task"]
