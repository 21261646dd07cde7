from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "kinerja.collection"
    label = "collection"
    verbose_name = _("Performance data collection")

    def ready(self) -> None:
        from kinerja.collection import period_lock, process_link

        process_link.register()
        period_lock.register()
