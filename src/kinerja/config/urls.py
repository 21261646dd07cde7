"""URL map: the web pages of each app, the admin and the REST API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kinerja.api.urls import api
from kinerja.core import views as core_views

urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisasi/", include("kinerja.organizations.urls")),
    path("perencanaan/", include("kinerja.planning.urls")),
    path("capaian/", include("kinerja.measurement.urls")),
    path("kalender/", include("kinerja.calendars.urls")),
    path("dokumen/", include("kinerja.documents.urls")),
    path("alur-kerja/", include("kinerja.workflow.urls")),
    path("pengumpulan-data/", include("kinerja.collection.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
