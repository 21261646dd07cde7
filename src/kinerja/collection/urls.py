from django.urls import path

from kinerja.collection import (
    urls_progress,
    urls_recap,
    urls_workbook,
    views,
    views_coordination,
    views_evidence,
    views_review,
)

app_name = "collection"
urlpatterns = [
    path("", views.collection_list, name="list"),
    path("baru/", views.collection_create, name="create"),
    path("<int:collection_id>/", views.collection_detail, name="detail"),
    path("kertas-kerja/<int:worksheet_id>/", views.worksheet_detail, name="worksheet"),
    path("baris/<int:row_id>/", views.row_save, name="row_save"),
    path("baris/<int:row_id>/riwayat/", views.row_history, name="row_history"),
    path("baris/<int:row_id>/bukti/", views.evidence_add, name="evidence_add"),
    path("bukti/<int:evidence_id>/hapus/", views.evidence_remove, name="evidence_remove"),
    path(
        "bukti/<int:evidence_id>/unduh/",
        views_evidence.evidence_download,
        name="evidence_download",
    ),
    path(
        "kertas-kerja/<int:worksheet_id>/ajukan/",
        views_review.worksheet_submit,
        name="worksheet_submit",
    ),
    path(
        "kertas-kerja/<int:worksheet_id>/kembalikan/",
        views_review.worksheet_return,
        name="worksheet_return",
    ),
    path(
        "kertas-kerja/<int:worksheet_id>/terima/",
        views_review.worksheet_accept,
        name="worksheet_accept",
    ),
    path(
        "kertas-kerja/<int:worksheet_id>/setujui/",
        views_review.worksheet_approve,
        name="worksheet_approve",
    ),
    path(
        "baris/<int:row_id>/pemegang-data/",
        views_coordination.row_data_holder,
        name="row_data_holder",
    ),
    path(
        "kertas-kerja/<int:worksheet_id>/batas-waktu/",
        views_coordination.worksheet_deadline,
        name="worksheet_deadline",
    ),
    path("<int:collection_id>/kunci/", views_review.collection_lock, name="lock"),
    path("<int:collection_id>/buka/", views_review.collection_reopen, name="reopen"),
    path("pengaturan/<int:agency_id>/", views_review.collection_settings, name="settings"),
]
urlpatterns += urls_workbook.urlpatterns + urls_progress.urlpatterns + urls_recap.urlpatterns
