from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "relations.core"
    verbose_name = "Reference data"
