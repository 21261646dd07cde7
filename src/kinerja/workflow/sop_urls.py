"""URLs of the SOP pages, under /alur-kerja/sop/."""

from django.urls import path

from kinerja.workflow import sop_views

urlpatterns = [
    path("", sop_views.sop_list, name="sop_list"),
    path("<int:agency_id>/unggah/", sop_views.sop_upload, name="sop_upload"),
    path("<int:agency_id>/<slug:code>/", sop_views.sop_detail, name="sop_detail"),
    path("<int:agency_id>/<slug:code>/v<int:version>/", sop_views.sop_detail, name="sop_version"),
    path(
        "<int:agency_id>/<slug:code>/v<int:version>/mulai/",
        sop_views.process_start,
        name="process_start",
    ),
    path(
        "<int:agency_id>/<slug:code>/v<int:version>/unduh/<str:fmt>/",
        sop_views.sop_download,
        name="sop_download",
    ),
    path(
        "<int:agency_id>/<slug:code>/beda/<int:old>/<int:new>/",
        sop_views.sop_diff,
        name="sop_diff",
    ),
]
