from django.urls import path

from kinerja.collection import urls_progress, urls_recap, urls_workbook, views

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
]
urlpatterns += urls_workbook.urlpatterns + urls_progress.urlpatterns + urls_recap.urlpatterns
