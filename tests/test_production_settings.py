"""Production settings: with DJANGO_DEBUG=0 and the variables README "Deploying" lists, `check --deploy` is clean.

relations/settings.py reads the environment once, at import, so each case runs Django in a fresh
subprocess with exactly the environment it names (no DJANGO_* variable of the developer's shell leaks in).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-key-" + "k7Q2xZp9" * 6,
    "DJANGO_ALLOWED_HOSTS": "relations.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://relations.example.org",
    "DATABASE_URL": "postgres://relations:secret@db.example.org:5432/relations",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https",
}
SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_ENGINE", "MIDDLEWARE")}))
"""


def run(args, **env):
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("DJANGO_", "RELATIONS_")) and key != "DATABASE_URL"}
    clean["DJANGO_SETTINGS_MODULE"] = "relations.settings"
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def settings_under(**env):
    result = run(["-c", SHOW_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class ProductionSettingsTests(SimpleTestCase):
    def test_check_deploy_reports_nothing_with_the_documented_production_variables(self):
        result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("System check identified no issues", result.stdout)

    def test_production_is_https_only_behind_the_proxy_with_secure_cookies_and_hsts(self):
        s = settings_under(**PRODUCTION)
        self.assertFalse(s["DEBUG"])
        self.assertEqual(s["ALLOWED_HOSTS"], ["relations.example.org"])
        self.assertEqual(s["CSRF_TRUSTED_ORIGINS"], ["https://relations.example.org"])
        self.assertEqual(s["SECURE_PROXY_SSL_HEADER"], ["HTTP_X_FORWARDED_PROTO", "https"])
        self.assertTrue(s["SECURE_SSL_REDIRECT"])
        self.assertTrue(s["SESSION_COOKIE_SECURE"])
        self.assertTrue(s["CSRF_COOKIE_SECURE"])
        self.assertEqual(s["SECURE_HSTS_SECONDS"], 31536000)
        self.assertTrue(s["SECURE_HSTS_INCLUDE_SUBDOMAINS"])
        self.assertEqual(s["MIDDLEWARE"][0], "django.middleware.security.SecurityMiddleware")
        # Any worker on any host serves any request: sessions are rows, not process memory.
        self.assertEqual(s["SESSION_ENGINE"], "django.contrib.sessions.backends.db")

    def test_hsts_seconds_and_the_proxy_header_come_from_the_environment(self):
        s = settings_under(**{**PRODUCTION, "DJANGO_SECURE_HSTS_SECONDS": "3600",
                              "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"})
        self.assertEqual(s["SECURE_HSTS_SECONDS"], 3600)
        self.assertEqual(s["SECURE_PROXY_SSL_HEADER"], ["HTTP_X_FORWARDED_PROTO", "https"])

    def test_a_missing_secret_key_stops_production_start_up_with_a_clear_message(self):
        env = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}
        result = run(["manage.py", "check"], **env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off", result.stderr)

    def test_a_malformed_proxy_header_or_negative_hsts_is_refused(self):
        result = run(["manage.py", "check"], **{**PRODUCTION, "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"})
        self.assertIn("DJANGO_SECURE_PROXY_SSL_HEADER='X-Forwarded-Proto' is not a header and the value", result.stderr)
        result = run(["manage.py", "check"], **{**PRODUCTION, "DJANGO_SECURE_HSTS_SECONDS": "-1"})
        self.assertIn("DJANGO_SECURE_HSTS_SECONDS must be 0 (no HSTS) or a positive number", result.stderr)

    def test_development_needs_no_variables_and_stays_on_plain_http(self):
        s = settings_under()
        self.assertTrue(s["DEBUG"])
        self.assertEqual(s["SECRET_KEY"], "development-only-insecure-key-never-use-in-production")
        self.assertFalse(s["SECURE_SSL_REDIRECT"])
        self.assertFalse(s["SESSION_COOKIE_SECURE"])
        self.assertEqual(s["SECURE_HSTS_SECONDS"], 0)
        self.assertIsNone(s["SECURE_PROXY_SSL_HEADER"])
        self.assertEqual(run(["manage.py", "check"]).returncode, 0)
