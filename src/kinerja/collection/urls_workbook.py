"""URLs of the collection's workbook pages (included by `collection.urls`)."""

from django.urls import URLPattern, path

from kinerja.collection import views_workbook

urlpatterns: list[URLPattern] = [
    path(
        "kertas-kerja/<int:worksheet_id>/unduh/",
        views_workbook.workbook_download,
        name="workbook_download",
    ),
    path(
        "kertas-kerja/<int:worksheet_id>/unggah/",
        views_workbook.workbook_upload,
        name="workbook_upload",
    ),
    path(
        "kertas-kerja/<int:worksheet_id>/unggah/terapkan/",
        views_workbook.workbook_apply,
        name="workbook_apply",
    ),
]
