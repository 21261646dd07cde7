from django.urls import path

from kinerja.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("instansi/<int:agency_id>/unggah/", views.document_upload, name="upload"),
    path("instansi/<int:agency_id>/buat/<slug:kind>/", views.document_generate, name="generate"),
    path("<int:document_id>/", views.document_detail, name="detail"),
    path("<int:document_id>/versi/baru/", views.version_upload, name="version_upload"),
    path(
        "<int:document_id>/versi/<int:version>/unduh/",
        views.version_download,
        name="download",
    ),
    path("<int:document_id>/nomor/", views.document_number, name="number"),
    path("<int:document_id>/arsipkan/", views.document_archive, name="archive"),
]
