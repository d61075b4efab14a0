"""A request loads its user and every permission of the user in one query (relations/core/auth.py)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from relations.agreements.models import Agreement
from relations.core.auth import PermissionsModelBackend, TokenAuthentication
from relations.core.roles import VIEWER
from tests.base import RelationsTestCase


class PermissionsBackendTests(RelationsTestCase):
    def test_the_user_comes_with_exactly_the_permissions_modelbackend_finds(self):
        direct = Permission.objects.get(codename="view_contact_details")
        self.viewer.user_permissions.add(direct)
        for user in (self.viewer, self.editor, self.manager, self.outsider):
            with self.subTest(user.username):
                with self.assertNumQueries(1):
                    loaded = PermissionsModelBackend().get_user(user.pk)
                    granted = loaded.get_all_permissions()
                    self.assertEqual(loaded.has_perm("contacts.view_contact"), "contacts.view_contact" in granted)
                self.assertEqual(granted, ModelBackend().get_all_permissions(User.objects.get(pk=user.pk)))
        self.assertIn("contacts.view_contact_details", PermissionsModelBackend().get_user(self.viewer.pk).get_all_permissions())
        self.assertEqual(PermissionsModelBackend().get_user(self.outsider.pk).get_all_permissions(), set())

    def test_a_codename_holding_a_separator_grants_only_itself(self):
        # The names travel joined in one column: no codename may split into another permission's name.
        agreement = ContentType.objects.get_for_model(Agreement)
        odd = [
            Permission.objects.create(content_type=agreement, codename=f"export{sep}agreements.delete_agreement", name="x")
            for sep in (",", ";", " ", "\n")
        ]
        self.outsider.user_permissions.add(*odd)
        loaded = PermissionsModelBackend().get_user(self.outsider.pk)
        slow = User.objects.get(pk=self.outsider.pk)
        self.assertFalse(slow.has_perm("agreements.delete_agreement"))
        self.assertFalse(loaded.has_perm("agreements.delete_agreement"))
        self.assertEqual(loaded.get_all_permissions(), ModelBackend().get_all_permissions(slow))
        self.assertTrue(loaded.has_perm("agreements.export,agreements.delete_agreement"))
        # Even the separator itself (no migration makes such a name): the name is changed, never split.
        unit = Permission.objects.create(content_type=agreement, codename="x\x1fagreements.delete_agreement", name="y")
        self.outsider.user_permissions.add(unit)
        loaded = PermissionsModelBackend().get_user(self.outsider.pk)
        self.assertFalse(loaded.has_perm("agreements.delete_agreement"))
        self.assertEqual(len(loaded.get_all_permissions()), len(odd) + 1)

    def test_inactive_or_missing_users_are_not_loaded_and_superusers_may_do_everything(self):
        self.outsider.is_active = False
        self.outsider.save()
        self.assertIsNone(PermissionsModelBackend().get_user(self.outsider.pk))
        self.assertIsNone(PermissionsModelBackend().get_user(999_999))
        self.assertIsNone(PermissionsModelBackend().get_user("not a number"))
        self.assertEqual(PermissionsModelBackend().get_user(str(self.viewer.pk)), self.viewer)
        root = User.objects.create_superuser("root", "root@example.org", "x")
        self.assertTrue(PermissionsModelBackend().get_user(root.pk).has_perm("agreements.delete_agreement"))

    def test_a_page_runs_two_queries_for_session_user_and_permissions(self):
        self.client.force_login(self.viewer)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(reverse("contacts:organization_list")).status_code, 200)
        sql = [query["sql"] for query in queries.captured_queries]
        # 1. the session, 2. the user with their permissions; then the page's own queries.
        self.assertIn("django_session", sql[0])
        self.assertIn('FROM "auth_user"', sql[1])
        self.assertIn("auth_permission", sql[1])
        self.assertEqual([q for q in sql[2:] if "auth_" in q], [])

    def test_a_permission_given_or_taken_applies_at_the_next_request(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("contacts:organization_list")).status_code, 403)
        self.outsider.groups.add(Group.objects.get(name=VIEWER))
        self.assertEqual(self.client.get(reverse("contacts:organization_list")).status_code, 200)
        self.outsider.groups.clear()
        self.assertEqual(self.client.get(reverse("contacts:organization_list")).status_code, 403)

    def test_login_with_the_password_still_works(self):
        response = self.client.post(reverse("login"), {"username": self.viewer.username, "password": self.password})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(reverse("dashboard")).status_code, 200)


class TokenAuthenticationTests(RelationsTestCase):
    def test_token_user_and_permissions_in_one_query(self):
        token = Token.objects.create(user=self.editor)
        with self.assertNumQueries(1):
            user, found = TokenAuthentication().authenticate_credentials(token.key)
            self.assertTrue(user.has_perm("agreements.change_agreement"))
            self.assertFalse(user.has_perm("agreements.delete_agreement"))
        self.assertEqual(found, token)
        self.assertEqual(user.get_all_permissions(), ModelBackend().get_all_permissions(User.objects.get(pk=self.editor.pk)))

    def test_unknown_token_or_inactive_user_is_refused(self):
        with self.assertRaisesMessage(AuthenticationFailed, "Invalid token."):
            TokenAuthentication().authenticate_credentials("0" * 40)
        token = Token.objects.create(user=self.viewer)
        self.viewer.is_active = False
        self.viewer.save()
        with self.assertRaisesMessage(AuthenticationFailed, "User inactive or deleted."):
            TokenAuthentication().authenticate_credentials(token.key)

    def test_an_api_list_with_a_token(self):
        token = Token.objects.create(user=self.viewer)
        response = self.client.get("/api/organizations/", HTTP_AUTHORIZATION=f"Token {token.key}")
        self.assertEqual(response.status_code, 200)
        response = self.client.get("/api/organizations/", HTTP_AUTHORIZATION="Token nonsense")
        self.assertEqual(response.status_code, 401)
