from django.urls import path

from kinerja.measurement import views

app_name = "measurement"
urlpatterns = [
    path("", views.achievement, name="achievement"),
]
