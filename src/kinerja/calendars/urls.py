from django.urls import path

from kinerja.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:government_id>/<int:year>/", views.holiday_list, name="holiday_list"),
    path("<int:government_id>/<int:year>/libur/baru/", views.holiday_add, name="holiday_add"),
    path("<int:government_id>/<int:year>/sinkron/", views.holidays_sync, name="holidays_sync"),
    path("libur/<int:holiday_id>/arsipkan/", views.holiday_archive, name="holiday_archive"),
    path(
        "<int:government_id>/jam-kerja/",
        views.working_calendar_update,
        name="working_calendar_update",
    ),
]
