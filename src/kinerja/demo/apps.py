from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kinerja.demo"
    label = "demo"
    verbose_name = "Demo"
