"""URLs of the collection's progress pages (included by `collection.urls`)."""

from django.urls import URLPattern, path

from kinerja.collection import views_progress

urlpatterns: list[URLPattern] = [
    path(
        "<int:collection_id>/kelengkapan/",
        views_progress.collection_progress,
        name="progress",
    ),
    path(
        "pemerintah/<int:government_id>/kelengkapan/",
        views_progress.government_progress,
        name="government_progress",
    ),
]
