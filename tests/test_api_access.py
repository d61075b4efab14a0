"""Who may read and write through the API: the admin's model permissions, token or session."""

from django.core.management import call_command
from rest_framework.authtoken.models import Token

from tests.api import RESOURCES, APITestCase


class AnonymousTests(APITestCase):
    def test_anonymous_requests_are_refused_without_data(self):
        for resource in RESOURCES:
            with self.subTest(resource):
                response = self.client.get(f"/api/{resource}/")
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertNotIn("results", response.json())
                self.assertIn("Token", response["WWW-Authenticate"])

    def test_anonymous_csv_is_refused_as_json(self):
        response = self.client.get("/api/agreements/", {"format": "csv"})
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], "application/json")

    def test_a_wrong_token_is_refused(self):
        response = self.client.get("/api/agreements/", HTTP_AUTHORIZATION="Token not-a-real-key")
        self.assertEqual(response.status_code, 401)


class PermissionTests(APITestCase):
    def test_a_user_without_view_permission_is_refused_every_resource(self):
        self.client.force_authenticate(self.outsider)
        for resource in RESOURCES:
            with self.subTest(resource):
                response = self.client.get(f"/api/{resource}/")
                self.assertEqual(response.status_code, 403)
                self.assertNotIn("results", response.json())

    def test_a_user_without_view_permission_cannot_read_a_detail(self):
        self.client.force_authenticate(self.outsider)
        response = self.client.get(f"/api/agreements/{self.mou.pk}/")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("title", response.json())

    def test_a_viewer_reads_every_resource(self):
        self.client.force_authenticate(self.viewer)
        for resource in RESOURCES:
            with self.subTest(resource):
                response = self.client.get(f"/api/{resource}/")
                self.assertEqual(response.status_code, 200)
                self.assertGreater(response.json()["count"], 0)

    def test_a_viewer_cannot_write(self):
        self.client.force_authenticate(self.viewer)
        response = self.client.post("/api/organizations/", {"name": "Somewhere Red Cross"}, format="json")
        self.assertEqual(response.status_code, 403)
        response = self.client.patch(f"/api/organizations/{self.turkmen.pk}/", {"city": "Mary"}, format="json")
        self.assertEqual(response.status_code, 403)
        response = self.client.delete(f"/api/organizations/{self.turkmen.pk}/")
        self.assertEqual(response.status_code, 403)
        self.turkmen.refresh_from_db()
        self.assertNotEqual(self.turkmen.city, "Mary")

    def test_topics_and_sources_are_read_only_even_for_a_manager(self):
        self.client.force_authenticate(self.manager)
        response = self.client.post("/api/topics/", {"name": "Health", "slug": "health"}, format="json")
        self.assertEqual(response.status_code, 405)


class TokenTests(APITestCase):
    def test_a_user_obtains_a_token_with_the_password_and_reads_with_it(self):
        response = self.client.post(
            "/api/token/", {"username": self.viewer.username, "password": self.password}, format="json"
        )
        self.assertEqual(response.status_code, 200)
        key = response.json()["token"]
        response = self.client.get(
            "/api/agreements/", {"party": self.turkmen.pk}, HTTP_AUTHORIZATION=f"Token {key}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual([row["id"] for row in response.json()["results"]], [self.mou.pk])

    def test_a_wrong_password_gets_no_token(self):
        response = self.client.post("/api/token/", {"username": self.viewer.username, "password": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("token", response.json())

    def test_drf_create_token_makes_a_token_for_a_user(self):
        call_command("drf_create_token", self.editor.username, stdout=open("/dev/null", "w"))
        self.assertTrue(Token.objects.filter(user=self.editor).exists())

    def test_session_login_also_reads(self):
        self.client.login(username=self.viewer.username, password=self.password)
        response = self.client.get("/api/organizations/")
        self.assertEqual(response.status_code, 200)
