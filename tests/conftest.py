import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed (manifest) static names 404 without collectstatic; tests serve plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
