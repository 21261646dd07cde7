from django.urls import path

app_name = "calendars"
urlpatterns: list = []
