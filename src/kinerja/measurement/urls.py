from django.urls import path

app_name = "measurement"
urlpatterns: list = []
