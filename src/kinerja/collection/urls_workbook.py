"""URLs of the collection's workbook pages (included by `collection.urls`)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
