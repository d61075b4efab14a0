from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "relations.core"
    verbose_name = _("Reference data")

    def ready(self):
        from relations.core import checks  # noqa: F401  (registers the system checks)
        from relations.core.api import schema  # noqa: F401  (registers the OpenAPI filter extension)
        from relations.core.concurrency import connect_nested_versions

        connect_nested_versions()
