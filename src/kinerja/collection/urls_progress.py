"""URLs of the collection's progress pages (included by `collection.urls`)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
