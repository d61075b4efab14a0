"""Two writes that lock the same two rows in opposite orders: the database's deadlock is never a 500.

A person's API write with their positions locks the person, then its position saves move the organization's
version; the organization's admin page saving a position inline locks the organization, then moves the person's.
PostgreSQL aborts one of them (relations/core/concurrency.py, "Two writes that lock in opposite orders"): that one
runs again once from the start, and goes through or is refused as any stale write is; aborted twice, it is a 409
(API) or the form shown again with an error (admin), and nothing is saved.
"""

import threading
import time
from unittest import mock, skipUnless

import psycopg.errors
from django.db import OperationalError, connection, connections
from django.test import SimpleTestCase, TestCase, TransactionTestCase
from django.urls import reverse
from rest_framework.test import APIClient

from relations.contacts.admin import OrganizationAdmin
from relations.contacts.models import Contact, Organization, Position
from relations.core import admin as core_admin
from relations.core.api import preconditions
from relations.core.api.base import RelationsViewSet
from relations.core.api.exceptions import exception_handler
from relations.core.concurrency import WriteConflictError, etag, retry_on_write_conflict
from tests.admin_forms import admin_form_data
from tests.factories import ContactFactory, OrganizationFactory, PositionFactory
from tests.personas import create_personas

CONFLICT = "Someone else was saving a related record at the same moment, so nothing was saved."


def aborted(error_class=psycopg.errors.DeadlockDetected):
    """What Django raises when PostgreSQL aborts a deadlock's victim: an OperationalError caused by psycopg's error."""
    try:
        try:
            raise error_class("deadlock detected")
        except psycopg.errors.Error as cause:
            raise OperationalError(*cause.args) from cause
    except OperationalError as error:
        return error


class WriteConflictRecognisedTests(SimpleTestCase):
    def test_a_deadlock_or_serialization_failure_reaching_the_api_handler_is_a_409_naming_it(self):
        for error in (aborted(), aborted(psycopg.errors.SerializationFailure), WriteConflictError()):
            with self.subTest(error=type(error.__cause__ or error).__name__):
                response = exception_handler(error, {})
                self.assertEqual(response.status_code, 409)
                self.assertEqual(response.data, {"detail": CONFLICT + " Please try again."})
        with self.assertLogs("relations.api", "ERROR"):  # any other database error is still a server error
            self.assertEqual(exception_handler(OperationalError("server closed the connection"), {}).status_code, 500)

    def test_a_write_aborted_once_runs_again_and_twice_is_refused(self):
        for failures, expected in ((0, 1), (1, 2)):
            with self.subTest(failures=failures):
                calls = []

                def write(failures=failures, calls=calls):
                    calls.append(1)
                    if len(calls) <= failures:
                        raise aborted()
                    return "saved"

                self.assertEqual(retry_on_write_conflict(write, using="default"), "saved")
                self.assertEqual(len(calls), expected)
        calls = []

        def always_aborted():
            calls.append(1)
            raise aborted()

        with self.assertRaises(WriteConflictError):
            retry_on_write_conflict(always_aborted, using="default")
        self.assertEqual(len(calls), 2)

    def test_another_database_error_is_not_retried(self):
        calls = []

        def broken():
            calls.append(1)
            raise OperationalError("server closed the connection")

        with self.assertRaises(OperationalError):
            retry_on_write_conflict(broken, using="default")
        self.assertEqual(len(calls), 1)


class InsideATransactionTests(TestCase):
    def test_inside_an_enclosing_transaction_the_first_conflict_is_refused_without_a_retry(self):
        calls = []

        def write():
            calls.append(1)
            raise aborted()

        with self.assertRaises(WriteConflictError):
            retry_on_write_conflict(write, using="default")
        self.assertEqual(len(calls), 1)


class AbortedWritesTests(TransactionTestCase):
    """The retry and the refusal through the real views, with the database's abort simulated (any database)."""

    def setUp(self):
        self.manager = create_personas()["manager"]  # who may also delete
        self.organization = OrganizationFactory(city="Lyon")
        self.api = APIClient()
        self.api.force_authenticate(self.manager)
        self.url = f"/api/organizations/{self.organization.pk}/"

    def aborting(self, method, times):
        """Patch ``method`` to raise a deadlock's abort on its first ``times`` calls, then do its work."""
        real, calls = method, []

        def patched(*args, **kwargs):
            calls.append(1)
            if len(calls) <= times:
                raise aborted()
            return real(*args, **kwargs)

        return patched, calls

    def test_an_api_write_aborted_once_is_saved_by_its_retry(self):
        for verb, method in (("patch", "perform_update"), ("post", "perform_create")):
            patched, calls = self.aborting(getattr(RelationsViewSet, method), 1)
            with self.subTest(verb=verb), mock.patch.object(RelationsViewSet, method, patched):
                if verb == "patch":
                    response = self.api.patch(self.url, {"city": "Nice"}, format="json", HTTP_IF_MATCH=etag(self.organization))
                    self.assertEqual(response.status_code, 200, response.content)
                    self.assertEqual(Organization.objects.get(pk=self.organization.pk).city, "Nice")
                else:
                    data = {"name": "Retried Society", "kind": "national_society", "country": "FR", "region": "europe"}
                    response = self.api.post("/api/organizations/", data, format="json")
                    self.assertEqual(response.status_code, 201, response.content)
                    self.assertEqual(Organization.objects.filter(name="Retried Society").count(), 1)
                self.assertEqual(len(calls), 2)

    def test_an_api_write_aborted_twice_is_a_409_and_saves_nothing(self):
        for verb, method in (("patch", "perform_update"), ("delete", "perform_destroy"), ("post", "perform_create")):
            patched, calls = self.aborting(getattr(RelationsViewSet, method), 2)
            with self.subTest(verb=verb), mock.patch.object(RelationsViewSet, method, patched):
                if verb == "post":
                    data = {"name": "Refused Society", "kind": "national_society", "country": "FR", "region": "europe"}
                    response = self.api.post("/api/organizations/", data, format="json")
                else:
                    response = getattr(self.api, verb)(self.url, {"city": "Nice"}, format="json")
                self.assertEqual(response.status_code, 409, response.content)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertIn(CONFLICT, response.json()["detail"])
                self.assertEqual(len(calls), 2)
        self.assertEqual(Organization.objects.get(pk=self.organization.pk).city, "Lyon")
        self.assertFalse(Organization.objects.filter(name="Refused Society").exists())

    def change_url(self):
        return reverse("admin:contacts_organization_change", args=[self.organization.pk])

    def test_an_admin_save_aborted_once_is_saved_by_its_retry(self):
        self.client.force_login(self.manager)
        data = admin_form_data(self.client.get(self.change_url()), city="Nice")
        patched, calls = self.aborting(OrganizationAdmin.save_model, 1)
        with mock.patch.object(OrganizationAdmin, "save_model", patched):
            self.assertEqual(self.client.post(self.change_url(), data).status_code, 302)
        self.assertEqual(len(calls), 2)
        self.assertEqual(Organization.objects.get(pk=self.organization.pk).city, "Nice")

    def test_an_admin_save_aborted_twice_shows_the_form_again_with_the_input_and_saves_nothing(self):
        self.client.force_login(self.manager)
        data = admin_form_data(self.client.get(self.change_url()), city="Nice")
        patched, calls = self.aborting(OrganizationAdmin.save_model, 2)
        with mock.patch.object(OrganizationAdmin, "save_model", patched):
            response = self.client.post(self.change_url(), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, CONFLICT)
        self.assertEqual(response.context["adminform"].form["city"].value(), "Nice")
        self.assertEqual(len(calls), 2)
        self.assertEqual(Organization.objects.get(pk=self.organization.pk).city, "Lyon")
        # Submitted again, the same form saves.
        self.assertEqual(self.client.post(self.change_url(), data).status_code, 302)
        self.assertEqual(Organization.objects.get(pk=self.organization.pk).city, "Nice")

    def test_an_admin_delete_aborted_twice_returns_to_the_confirmation_with_the_reason(self):
        self.client.force_login(self.manager)
        url = reverse("admin:contacts_organization_delete", args=[self.organization.pk])
        patched, calls = self.aborting(OrganizationAdmin.delete_model, 2)
        with mock.patch.object(OrganizationAdmin, "delete_model", patched):
            response = self.client.post(url, {"post": "yes"}, follow=True)
        self.assertEqual(response.redirect_chain[0][0], url)
        self.assertContains(response, CONFLICT)
        self.assertEqual(len(calls), 2)
        self.assertTrue(Organization.objects.filter(pk=self.organization.pk).exists())


@skipUnless(connection.vendor == "postgresql", "row locks and deadlock detection need PostgreSQL")
class OppositeLockOrderTests(TransactionTestCase):
    """The reviewer's reproduction on real connections: a person's API write with positions and their
    organization's admin page saving a position inline, each holding its own row lock when the other starts
    its nested save. A Barrier makes them meet there; the side chosen as the victim then waits first, so
    PostgreSQL's deadlock check (after deadlock_timeout) fires on it and aborts it."""

    def setUp(self):
        self.editor = create_personas()["editor"]
        self.organization = OrganizationFactory(city="Lyon")
        self.contact = ContactFactory()
        self.by_api = PositionFactory(contact=self.contact, organization=self.organization, title="Head of delegation")
        self.by_admin = PositionFactory(contact=self.contact, organization=self.organization, title="Desk officer")

    def admin_data(self):
        """The organization's change form as opened now, with its city and one position's department changed."""
        client = self.admin_client()
        url = reverse("admin:contacts_organization_change", args=[self.organization.pk])
        data = admin_form_data(client.get(url), city="Admin city")
        row = next(key[: -len("-id")] for key, value in data.items()
                   if key.endswith("-id") and value == str(self.by_admin.pk))
        data[f"{row}-department"] = "From the admin"
        return url, data

    def admin_client(self):
        client = self.client_class()
        client.force_login(self.editor)
        return client

    def race(self, *, victim, if_match=False):
        """Run the API write and the admin save at once; return their responses (or what they raised) and how
        many times each took its first lock (2: it was aborted and ran again)."""
        admin_url, admin_data = self.admin_data()
        api_url = f"/api/contacts/{self.contact.pk}/"
        headers = {"HTTP_IF_MATCH": etag(Contact.objects.get(pk=self.contact.pk))} if if_match else {}
        body = {"positions": [
            {"organization": self.organization.pk, "title": "Head of delegation", "department": "From the API"},
            {"organization": self.organization.pk, "title": "Desk officer"},
        ]}
        barrier = threading.Barrier(2, timeout=15)
        locks = {"api": 0, "admin": 0}

        def meeting(name, lock):
            def locked(*args, **kwargs):
                locks[name] += 1
                result = lock(*args, **kwargs)  # the admin's second check raises: the version moved
                if locks[name] == 1:  # the first attempt: both hold their lock, then both go on
                    barrier.wait()
                    if name != victim:
                        time.sleep(0.4)  # the victim waits for the other's lock first
                return result
            return locked

        answers = {}

        def api():
            client = APIClient()
            client.force_authenticate(self.editor)
            return client.patch(api_url, body, format="json", **headers)

        def admin():
            return self.admin_client().post(admin_url, admin_data)

        def run(name, request):
            try:
                answers[name] = request()
            except Exception as error:  # noqa: BLE001 - the test client re-raises a 500's error
                answers[name] = error
            finally:
                connections.close_all()

        with (mock.patch.object(preconditions, "reload_locked", meeting("api", preconditions.reload_locked)),
              mock.patch.object(core_admin, "check_version", meeting("admin", core_admin.check_version))):
            threads = [threading.Thread(target=run, args=(name, request)) for name, request in
                       (("api", api), ("admin", admin))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        for name, answer in answers.items():
            self.assertNotIsInstance(answer, Exception, f"the {name} write failed: {answer!r}")
        self.assertEqual(locks[victim], 2, f"the victim was aborted and ran again: {locks}")
        return answers["api"], answers["admin"]

    def departments(self):
        return {position.title: position.department for position in Position.objects.filter(contact=self.contact)}

    def test_the_api_write_aborted_runs_again_and_both_writes_are_saved(self):
        api, admin = self.race(victim="api")
        self.assertEqual(api.status_code, 200, api.content)
        self.assertEqual(admin.status_code, 302)
        self.assertEqual(self.departments(), {"Head of delegation": "From the API", "Desk officer": "From the admin"})
        self.assertEqual(Organization.objects.get(pk=self.organization.pk).city, "Admin city")
        self.assertEqual(api["ETag"], etag(Contact.objects.get(pk=self.contact.pk)))

    def test_the_api_write_aborted_with_an_if_match_the_admin_save_made_stale_is_refused_with_412(self):
        api, admin = self.race(victim="api", if_match=True)
        self.assertEqual(api.status_code, 412, api.content)
        self.assertEqual(admin.status_code, 302)
        self.assertEqual(self.departments(), {"Head of delegation": "", "Desk officer": "From the admin"})
        self.assertEqual(Organization.objects.get(pk=self.organization.pk).city, "Admin city")

    def test_the_admin_save_aborted_runs_again_and_is_refused_as_stale_with_the_input_kept(self):
        api, admin = self.race(victim="admin")
        self.assertEqual(api.status_code, 200, api.content)
        self.assertEqual(admin.status_code, 200)
        self.assertContains(admin, "Someone else saved this organization after you opened it")
        self.assertEqual(admin.context["adminform"].form["city"].value(), "Admin city")
        self.assertEqual(self.departments(), {"Head of delegation": "From the API", "Desk officer": ""})
        self.assertEqual(Organization.objects.get(pk=self.organization.pk).city, "Lyon")


class NoRetryInsideTheRequestsTransactionTests(TestCase):
    """Under TestCase every request runs inside the test's transaction: the first abort is refused at once."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = create_personas()["editor"]
        cls.organization = OrganizationFactory(city="Lyon")

    def test_an_api_write_aborted_inside_a_transaction_is_a_409(self):
        client = APIClient()
        client.force_authenticate(self.editor)
        with mock.patch.object(RelationsViewSet, "perform_update", side_effect=aborted()) as perform_update:
            response = client.patch(f"/api/organizations/{self.organization.pk}/", {"city": "Nice"}, format="json")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(perform_update.call_count, 1)
        self.assertIn(CONFLICT, response.json()["detail"])
