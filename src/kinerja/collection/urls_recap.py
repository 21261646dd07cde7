"""URLs of the collection's recap pages (included by `collection.urls`)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
