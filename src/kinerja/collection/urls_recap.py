"""URLs of the collection's recap pages (included by `collection.urls`)."""

from django.urls import URLPattern, path

from kinerja.collection import views_recap

urlpatterns: list[URLPattern] = [
    path("<int:collection_id>/rekap/", views_recap.recap_page, name="recap"),
    path("<int:collection_id>/rekap/buat/", views_recap.recap_generate_view, name="recap_generate"),
    path("rekap-diterima/", views_recap.recap_received, name="recap_received"),
    path("rekap/<int:recap_id>/kirim/", views_recap.recap_send_view, name="recap_send"),
    path("rekap/<int:recap_id>/<slug:which>/", views_recap.recap_download, name="recap_download"),
]
