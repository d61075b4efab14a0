"""Brute force: failed logins pause a username from one address (django-axes), and the token endpoint is throttled.

The web login, the admin login and POST /api/token/ share one count per username and client address;
after settings.AXES_FAILURE_LIMIT failures the pair is paused for the cool-off time, even with the
right password, while the same user from another address and other users go on as before.
"""

import datetime
from unittest import mock

from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import get_resolver
from rest_framework.test import APIClient

from relations.core.api.throttling import ClientAddressMixin, TokenRateThrottle
from relations.core.lockout import client_ip
from tests.base import RelationsTestCase
from tests.test_production_settings import run

ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"
PROXY = "10.0.0.2"


class LoginLimitTestCase(RelationsTestCase):
    def setUp(self):
        # tests/conftest.py turns the limit off for every other test.
        self.enterContext(override_settings(AXES_ENABLED=True))
        self.limit = settings.AXES_FAILURE_LIMIT

    def fail(self, times, username=None, url="/accounts/login/", address=ATTACKER):
        for _ in range(times):
            response = self.client.post(
                url, {"username": username or self.editor.username, "password": "wrong-password"}, REMOTE_ADDR=address
            )
        return response

    def log_in(self, username=None, url="/accounts/login/", address=ATTACKER):
        return self.client.post(url, {"username": username or self.editor.username, "password": self.password},
                                REMOTE_ADDR=address)

    def assertPausedPage(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertTemplateUsed(response, "registration/locked_out.html")
        self.assertContains(response, "Too many failed login attempts", status_code=429)
        self.assertContains(response, f"try again in {settings.AXES_COOLOFF_TIME.seconds // 60} minutes", status_code=429)
        self.assertEqual(response["Retry-After"], str(settings.AXES_COOLOFF_TIME.seconds))
        self.assertNotIn("_auth_user_id", self.client.session)


class WebLoginLimitTests(LoginLimitTestCase):
    def test_failures_below_the_limit_show_the_form_error(self):
        response = self.fail(self.limit - 1)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter a correct username and password")
        self.assertRedirects(self.log_in(), "/", fetch_redirect_response=False)

    def test_the_limit_pauses_the_username_from_that_address_even_with_the_right_password(self):
        self.assertPausedPage(self.fail(self.limit))
        self.assertPausedPage(self.log_in())

    def test_the_same_user_elsewhere_and_other_users_here_still_log_in(self):
        self.fail(self.limit)
        self.assertRedirects(self.log_in(address=COLLEAGUE), "/", fetch_redirect_response=False)
        self.client.logout()
        self.assertRedirects(self.log_in(self.viewer.username), "/", fetch_redirect_response=False)

    def test_a_success_clears_the_count(self):
        self.fail(self.limit - 1)
        self.log_in()
        self.client.logout()
        self.assertEqual(self.fail(self.limit - 1).status_code, 200)

    def test_after_the_cool_off_the_right_password_works_again(self):
        self.fail(self.limit)
        AccessAttempt.objects.update(
            attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
        )
        self.assertRedirects(self.log_in(), "/", fetch_redirect_response=False)

    def test_the_pause_page_is_in_the_users_language(self):
        self.fail(self.limit)
        response = self.client.post("/accounts/login/", {"username": self.editor.username, "password": self.password},
                                    REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE="ru")
        self.assertContains(response, "Слишком много неудачных попыток входа", status_code=429)

    @override_settings(RELATIONS_TRUSTED_PROXIES=[PROXY])
    def test_behind_the_proxy_the_address_the_proxy_saw_counts(self):
        # Both come through the same proxy (REMOTE_ADDR); the attacker forges the first X-Forwarded-For entry.
        for _ in range(self.limit):
            self.client.post("/accounts/login/", {"username": self.editor.username, "password": "wrong"},
                             REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{COLLEAGUE}, {ATTACKER}")
        self.assertEqual(AccessAttempt.objects.get().ip_address, ATTACKER)
        self.assertPausedPage(self.client.post(
            "/accounts/login/", {"username": self.editor.username, "password": self.password},
            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER,
        ))
        response = self.client.post("/accounts/login/", {"username": self.editor.username, "password": self.password},
                                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=COLLEAGUE)
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_a_forged_x_forwarded_for_from_a_client_that_reaches_gunicorn_itself_is_ignored(self):
        # README's deployment: gunicorn listens on the network; no proxy is trusted by default.
        for proxies in ([], [PROXY]):
            with self.subTest(trusted=proxies), override_settings(RELATIONS_TRUSTED_PROXIES=proxies):
                AccessAttempt.objects.all().delete()
                for n in range(self.limit):
                    self.client.post("/accounts/login/", {"username": self.editor.username, "password": "wrong"},
                                     REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.18.0.{n}")
                self.assertEqual(AccessAttempt.objects.get().ip_address, ATTACKER)
                self.assertPausedPage(self.client.post(
                    "/accounts/login/", {"username": self.editor.username, "password": self.password},
                    REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=COLLEAGUE,
                ))


class AdminLoginLimitTests(LoginLimitTestCase):
    def test_the_admin_login_counts_and_pauses_too(self):
        url = "/admin/login/?next=/admin/"
        self.assertEqual(self.fail(self.limit - 1, self.manager.username, url).status_code, 200)
        self.assertPausedPage(self.fail(1, self.manager.username, url))
        self.assertPausedPage(self.log_in(self.manager.username, url))
        # The web login shares the count: the same pair is paused there as well.
        self.assertPausedPage(self.log_in(self.manager.username))


class PausedLoginsInTheAdminTests(LoginLimitTestCase):
    """A manager sees who is paused in the admin and lifts the pause by deleting the count."""

    def test_a_manager_sees_the_pause_and_lifts_it(self):
        self.fail(self.limit)
        attempt = AccessAttempt.objects.get()
        manager = self.client_class()
        manager.force_login(self.manager)
        page = manager.get("/admin/axes/accessattempt/?locked_out=yes")
        self.assertContains(page, self.editor.username)
        self.assertContains(page, ATTACKER)
        self.assertNotContains(page, "wrong-password")
        detail = manager.get(f"/admin/axes/accessattempt/{attempt.pk}/change/")
        self.assertContains(detail, ATTACKER)
        self.assertNotContains(detail, "wrong-password")
        self.assertNotContains(detail, 'type="submit" value="Save"')
        self.assertPausedPage(self.log_in())
        response = manager.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
        self.assertRedirects(response, "/admin/axes/accessattempt/")
        self.assertRedirects(self.log_in(), "/", fetch_redirect_response=False)

    def test_a_pause_below_the_limit_is_not_listed_as_locked_out(self):
        self.fail(self.limit - 1)
        manager = self.client_class()
        manager.force_login(self.manager)
        self.assertNotContains(manager.get("/admin/axes/accessattempt/?locked_out=yes"), ATTACKER)
        self.assertContains(manager.get("/admin/axes/accessattempt/?locked_out=no"), ATTACKER)

    def test_an_editor_cannot_see_or_lift_pauses(self):
        self.fail(self.limit)
        editor = self.client_class()
        editor.force_login(self.editor)
        self.assertEqual(editor.get("/admin/axes/accessattempt/").status_code, 403)
        attempt = AccessAttempt.objects.get()
        self.assertEqual(editor.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code, 403)
        self.assertTrue(AccessAttempt.objects.exists())


class TokenLoginLimitTests(LoginLimitTestCase):
    client_class = APIClient

    def token(self, password, username=None, address=ATTACKER):
        return self.client.post("/api/token/", {"username": username or self.editor.username, "password": password},
                                format="json", REMOTE_ADDR=address)

    def test_the_token_endpoint_answers_429_json_when_paused(self):
        with mock.patch.object(TokenRateThrottle, "THROTTLE_RATES", {"token": "1000/minute"}):
            for _ in range(self.limit - 1):
                self.assertEqual(self.token("wrong").status_code, 400)
            for password in ("wrong", self.password):
                response = self.token(password)
                self.assertEqual(response.status_code, 429)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertIn("Too many failed login attempts", response.json()["detail"])
                self.assertEqual(response["Retry-After"], str(settings.AXES_COOLOFF_TIME.seconds))
                self.assertNotIn("token", response.json())
            self.assertEqual(self.token(self.password, address=COLLEAGUE).status_code, 200)
            # The web login shares the count.
            self.assertEqual(self.client.post("/accounts/login/", {"username": self.editor.username,
                                                                    "password": self.password},
                                              REMOTE_ADDR=ATTACKER).status_code, 429)

    def test_the_token_endpoint_is_throttled_per_address_whatever_the_usernames(self):
        with mock.patch.object(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"}):
            for username in ("a", "b", "c"):
                self.assertEqual(self.token("wrong", username=username).status_code, 400)
            response = self.token(self.password)
            self.assertEqual(response.status_code, 429)
            self.assertIn("Retry-After", response)
            self.assertIn("detail", response.json())
            self.assertEqual(self.token(self.password, address=COLLEAGUE).status_code, 200)

    @override_settings(AXES_ENABLED=False)
    def test_the_default_rate_allows_ten_tries_a_minute(self):
        for _ in range(10):
            self.assertEqual(self.token("wrong").status_code, 400)
        self.assertEqual(self.token(self.password).status_code, 429)

    def test_a_forged_x_forwarded_for_does_not_escape_the_token_throttle(self):
        with mock.patch.object(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"}):
            for n in range(3):
                self.assertEqual(self.client.post("/api/token/", {"username": "a", "password": "wrong"}, format="json",
                                                  REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code, 400)
            response = self.client.post("/api/token/", {"username": "a", "password": "wrong"}, format="json",
                                        REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
            self.assertEqual(response.status_code, 429)

    @override_settings(AXES_ENABLED=False, RELATIONS_TRUSTED_PROXIES=[PROXY])
    def test_behind_the_proxy_the_token_throttle_counts_the_client_address(self):
        with mock.patch.object(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute"}):
            def token(forwarded):
                return self.client.post("/api/token/", {"username": "a", "password": "wrong"}, format="json",
                                        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code
            self.assertEqual([token(f"192.0.2.{n}, {ATTACKER}") for n in range(3)], [400, 400, 429])
            self.assertEqual(token(COLLEAGUE), 400)


class ClientAddressTests(SimpleTestCase):
    """relations.core.lockout.client_ip: X-Forwarded-For counts only as far as trusted proxies wrote it."""

    def ip(self, remote, forwarded=None, trusted=()):
        meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
        with override_settings(RELATIONS_TRUSTED_PROXIES=list(trusted)):
            return client_ip(RequestFactory().get("/", **meta))

    def test_without_trusted_proxies_the_header_is_ignored(self):
        self.assertEqual(self.ip(ATTACKER), ATTACKER)
        self.assertEqual(self.ip(ATTACKER, COLLEAGUE), ATTACKER)
        self.assertEqual(self.ip(PROXY, COLLEAGUE), PROXY)

    def test_from_an_untrusted_peer_the_header_is_ignored(self):
        self.assertEqual(self.ip(ATTACKER, f"{COLLEAGUE}, {PROXY}", trusted=["10.0.0.0/24"]), ATTACKER)

    def test_from_a_trusted_proxy_the_first_untrusted_address_from_the_right_is_the_client(self):
        self.assertEqual(self.ip(PROXY, COLLEAGUE, trusted=[PROXY]), COLLEAGUE)
        # The client wrote the left-most entries itself.
        self.assertEqual(self.ip(PROXY, f"1.2.3.4, {COLLEAGUE}", trusted=[PROXY]), COLLEAGUE)
        # Two proxies (a load balancer 10.0.0.3 in front of nginx 10.0.0.2), given as a range.
        self.assertEqual(self.ip(PROXY, f"1.2.3.4, {COLLEAGUE}, 10.0.0.3", trusted=["10.0.0.0/24"]), COLLEAGUE)
        # Only the listed proxy is trusted: 10.0.0.3 is then the client as far as this app can tell.
        self.assertEqual(self.ip(PROXY, f"{COLLEAGUE}, 10.0.0.3", trusted=[PROXY]), "10.0.0.3")
        self.assertEqual(self.ip(PROXY, f" {COLLEAGUE} ,10.0.0.3 ", trusted=["10.0.0.0/8"]), COLLEAGUE)

    def test_short_or_broken_chains_fall_back_to_the_last_trusted_hops_view(self):
        self.assertEqual(self.ip(PROXY, trusted=[PROXY]), PROXY)  # the proxy itself (a health check)
        self.assertEqual(self.ip(PROXY, "", trusted=[PROXY]), PROXY)
        self.assertEqual(self.ip(PROXY, "10.0.0.3", trusted=["10.0.0.0/24"]), "10.0.0.3")
        self.assertEqual(self.ip(PROXY, "10.0.0.4, 10.0.0.3", trusted=["10.0.0.0/24"]), "10.0.0.4")
        for broken in ("unknown", f"{COLLEAGUE}, unknown", f"{COLLEAGUE}, ", f"{COLLEAGUE},,", "1.2.3.4:80"):
            with self.subTest(broken):
                self.assertEqual(self.ip(PROXY, broken, trusted=[PROXY]), PROXY)
        self.assertEqual(self.ip(PROXY, f"{COLLEAGUE}, unknown, 10.0.0.3", trusted=["10.0.0.0/24"]), "10.0.0.3")

    def test_ipv6(self):
        self.assertEqual(self.ip("2001:db8::7", "2001:db8::99"), "2001:db8::7")
        self.assertEqual(self.ip("fd00::2", "2001:db8::99, 2001:DB8:0::7", trusted=["fd00::/8"]), "2001:db8::7")
        self.assertEqual(self.ip("fd00::2", "2001:db8::7", trusted=[PROXY]), "fd00::2")
        # An IPv4 client seen by a dual-stack listener, and a proxy listed by its IPv4 address.
        self.assertEqual(self.ip("::ffff:10.0.0.2", COLLEAGUE, trusted=[PROXY]), COLLEAGUE)
        self.assertEqual(self.ip(PROXY, f"::ffff:{COLLEAGUE}", trusted=[PROXY]), COLLEAGUE)

    def test_every_api_throttle_in_use_asks_client_ip(self):
        views = []

        def walk(patterns):
            for pattern in patterns:
                if hasattr(pattern, "url_patterns"):
                    walk(pattern.url_patterns)
                elif hasattr(pattern.callback, "cls"):
                    views.append(pattern.callback.cls)

        walk(get_resolver().url_patterns)
        self.assertGreater(len(views), 5)
        throttles = {throttle for view in views for throttle in view.throttle_classes}
        self.assertEqual({t.__name__ for t in throttles}, {"AnonRateThrottle", "UserRateThrottle", "TokenRateThrottle"})
        for throttle in throttles:
            with self.subTest(throttle.__name__):
                self.assertTrue(issubclass(throttle, ClientAddressMixin))
                request = RequestFactory().get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=COLLEAGUE)
                self.assertEqual(throttle().get_ident(request), ATTACKER)

    def test_the_setting_is_checked_and_the_old_proxy_count_refused(self):
        result = run(["manage.py", "check"], RELATIONS_TRUSTED_PROXIES="10.0.0.2, fd00::/8")
        self.assertEqual(result.returncode, 0, result.stderr)
        result = run(["manage.py", "check"], RELATIONS_TRUSTED_PROXIES="10.0.0.2, nginx")
        self.assertIn("RELATIONS_TRUSTED_PROXIES: 'nginx' is not an IP address or CIDR range", result.stderr)
        result = run(["manage.py", "check"], RELATIONS_PROXY_COUNT="1")
        self.assertIn("RELATIONS_PROXY_COUNT is replaced by RELATIONS_TRUSTED_PROXIES", result.stderr)
        self.assertEqual(run(["manage.py", "check"], RELATIONS_PROXY_COUNT="0").returncode, 0)
