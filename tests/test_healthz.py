"""/healthz: what a load balancer or a monitor asks a worker, without login, and what it must not learn."""

from unittest import mock

from django.db import OperationalError, connections
from django.test import override_settings

from tests.base import RelationsTestCase

# An error as a down PostgreSQL raises it, with details an outsider must never see.
DOWN = OperationalError('connection to server at "db-7.internal" (10.0.0.3), port 5432 failed: password for "relations"')


class HealthCheckTests(RelationsTestCase):
    def test_answers_ok_to_anyone_with_one_query_and_no_cookie(self):
        with self.assertNumQueries(1):  # SELECT 1
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertFalse(response.cookies)

    def test_a_logged_in_visit_neither_reads_nor_sets_the_session(self):
        self.client.force_login(self.viewer)
        with self.assertNumQueries(1):
            response = self.client.get("/healthz")
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertFalse(response.cookies)

    def test_answers_503_and_nothing_more_when_the_database_fails(self):
        with mock.patch.object(connections["default"], "cursor", side_effect=DOWN), \
                self.assertLogs("relations.core.health", "WARNING") as logs:
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.content, b'{"status": "unavailable"}')
        self.assertFalse(response.cookies)
        for leak in ("db-7", "10.0.0.3", "5432", "password", "relations", "Operational", "Django", "Python"):
            self.assertNotIn(leak, response.content.decode() + str(response.headers))
        # The operator finds the reason in the server's log.
        self.assertIn("10.0.0.3", logs.output[0])

    def test_a_failing_query_after_connecting_is_also_unavailable(self):
        cursor = mock.MagicMock()
        cursor.__enter__.return_value.execute.side_effect = DOWN
        with mock.patch.object(connections["default"], "cursor", return_value=cursor), self.assertLogs("relations.core.health"):
            response = self.client.get("/healthz")
        self.assertEqual((response.status_code, response.json()), (503, {"status": "unavailable"}))

    def test_only_get_and_head(self):
        self.assertEqual(self.client.head("/healthz").status_code, 200)
        self.assertEqual(self.client.post("/healthz").status_code, 405)

    @override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    def test_probed_over_plain_http_while_every_other_page_redirects_to_https(self):
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        login = self.client.get("/accounts/login/")
        self.assertEqual(login.status_code, 301)
        self.assertTrue(login["Location"].startswith("https://"))
        # Behind the proxy, a request that came in over HTTPS is served.
        self.assertEqual(self.client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code, 200)
