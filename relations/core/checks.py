"""System checks that catch misconfiguration at `manage.py check` rather than at run time."""

from django.conf import settings
from django.core.checks import Error, Tags, register

SUPPORTED_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


@register(Tags.database, Tags.compatibility)
def check_database_engine(app_configs, **kwargs):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in SUPPORTED_ENGINES:
        return [
            Error(
                f"DATABASE_URL selects {engine}, which Relations is not tested on.",
                hint="Use a postgres:// or sqlite:// URL.",
                id="relations.E001",
            )
        ]
    return []


@register()
def check_document_limit(app_configs, **kwargs):
    if settings.RELATIONS_DOCUMENT_MAX_BYTES <= 0:
        return [
            Error(
                "RELATIONS_DOCUMENT_MAX_BYTES must be a positive number of bytes.",
                id="relations.E002",
            )
        ]
    return []
