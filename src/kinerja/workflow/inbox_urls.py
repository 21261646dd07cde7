"""URLs of the inbox, task, process and notification pages (included by workflow/urls.py,
so the names live in the "workflow" namespace)."""

from django.urls import path

from kinerja.workflow import inbox_views

urlpatterns = [
    path("tugas/", inbox_views.inbox, name="inbox"),
    path("tugas/<int:task_id>/", inbox_views.task_detail, name="task"),
    path("tugas/<int:task_id>/selesai/", inbox_views.task_complete, name="task_complete"),
    path(
        "tugas/<int:task_id>/keluaran/unggah/",
        inbox_views.task_output_upload,
        name="task_output_upload",
    ),
    path(
        "tugas/<int:task_id>/keluaran/buat/",
        inbox_views.task_output_generate,
        name="task_output_generate",
    ),
    path("proses/<int:instance_id>/", inbox_views.process_detail, name="process"),
    path("notifikasi/", inbox_views.notification_list, name="notifications"),
    path("notifikasi/baca/", inbox_views.notification_read, name="notification_read"),
]
