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



# django-zeal: an N+1 (a related object or a .get() loaded once per row) in any request a test
# reads raises NPlusOneError, pages and API alike (not yet the admin and API writes: tests/zeal_pages.py). A middleware
# opens a fresh detection context around each view; the patch is what zeal's AppConfig.ready() does, kept out of production settings.
@pytest.fixture(scope="session", autouse=True)
def _zeal_in_every_request():
    from django.conf import settings
    from zeal.constants import initialize_app_registry
    from zeal.patch import patch

    initialize_app_registry()
    patch()
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.zeal_pages.zeal_pages_middleware"]
    # Logging out loads the session, then checks the new session key is free: two gets, not a row loop.
    settings.ZEAL_ALLOWLIST = [{"model": "sessions.Session", "field": "get()"}]


@pytest.fixture(autouse=True)
def _language_reset():
    # LocaleMiddleware activates the request's language in the test's thread and leaves it
    # there: a test that reads a page in Arabic or Russian must not leave the next test in it.
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_login_limit(settings):
    # django-axes needs the request to count a login, and Client.login() passes none: the login limit is
    # off in tests except where tests/test_login_limit.py turns it on to test it.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _empty_cache():
    # The API throttles count requests in the cache (per process in tests): each test starts from none.
    from django.core.cache import cache

    cache.clear()
