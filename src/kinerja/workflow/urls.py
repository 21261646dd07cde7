"""URLs of the workflow app, under /alur-kerja/: SOP pages and the inbox, task and process pages."""

from django.urls import include, path

from kinerja.workflow import sop_urls

app_name = "workflow"
urlpatterns = [
    path("sop/", include(sop_urls)),
    path("", include("kinerja.workflow.inbox_urls")),
]
