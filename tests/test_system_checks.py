from django.core.checks import run_checks
from django.test import SimpleTestCase, override_settings


class SystemChecksTests(SimpleTestCase):
    def ids(self):
        return {message.id for message in run_checks()}

    def test_the_project_passes_its_checks(self):
        self.assertFalse({i for i in self.ids() if i.startswith("relations.")})

    @override_settings(RELATIONS_DOCUMENT_MAX_BYTES=0)
    def test_a_zero_document_limit_is_reported(self):
        self.assertIn("relations.E002", self.ids())

    def test_an_unsupported_database_is_reported(self):
        from unittest import mock

        from relations.core import checks

        fake = mock.Mock(DATABASES={"default": {"ENGINE": "django.db.backends.mysql"}})
        with mock.patch.object(checks, "settings", fake):
            self.assertEqual([e.id for e in checks.check_database_engine(None)], ["relations.E001"])
