"""Two API clients changing the same record: ETag on reads and writes, If-Match refuses a stale write (412)."""

import threading
import time
from unittest import mock, skipUnless

from django.db import connection, connections, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from relations.agreements.models import Agreement, Signatory
from relations.contacts.models import Organization
from relations.core.api import preconditions
from relations.core.concurrency import etag, record_version, reload_locked
from relations.core.services import save_as
from tests.api import RESOURCES, APITestCase
from tests.factories import OrganizationFactory
from tests.personas import create_personas


class APIConcurrencyTestCase(APITestCase):
    def client_for(self, user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    def read(self, client, url):
        response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return response["ETag"], response.json()

    def assert_refused(self, response, record):
        """A 412 that says the record changed and gives its current version, in the body and the ETag."""
        self.assertEqual(response.status_code, 412, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        body = response.json()
        record.refresh_from_db()
        self.assertEqual(body["current_version"], record_version(record))
        self.assertEqual(response["ETag"], etag(record))
        self.assertIn("changed since you read it", body["detail"])
        self.assertIn(record_version(record), body["detail"])


class ETagTests(APIConcurrencyTestCase):
    def test_every_detail_read_carries_the_records_version_as_a_strong_etag(self):
        client = self.client_for(self.manager)
        for resource in RESOURCES:
            with self.subTest(resource=resource):
                first = client.get(f"/api/{resource}/?page_size=1").json()["results"][0]
                response = client.get(f"/api/{resource}/{first['id']}/")
                self.assertEqual(response.status_code, 200)
                record = response.renderer_context["view"].get_queryset().model.objects.get(pk=first["id"])
                self.assertEqual(response["ETag"], etag(record))
                self.assertFalse(response["ETag"].startswith("W/"))

    def test_a_list_carries_no_etag(self):
        response = self.client_for(self.viewer).get("/api/agreements/")
        self.assertNotIn("ETag", response)

    def test_create_and_update_answer_with_the_new_version(self):
        client = self.client_for(self.editor)
        created = client.post("/api/organizations/", {"name": "Mongolian Red Cross Society", "country": "MN"},
                              format="json")
        self.assertEqual(created.status_code, 201)
        organization = Organization.objects.get(pk=created.json()["id"])
        self.assertEqual(created["ETag"], etag(organization))
        changed = client.patch(f"/api/organizations/{organization.pk}/", {"city": "Ulaanbaatar"}, format="json",
                               HTTP_IF_MATCH=created["ETag"])
        self.assertEqual(changed.status_code, 200)
        organization.refresh_from_db()
        self.assertEqual(changed["ETag"], etag(organization))
        self.assertNotEqual(changed["ETag"], created["ETag"])


class IfMatchTests(APIConcurrencyTestCase):
    def test_of_two_clients_that_read_the_same_version_the_first_patch_wins_and_the_second_is_refused(self):
        url = f"/api/agreements/{self.mou.pk}/"
        editor, manager = self.client_for(self.editor), self.client_for(self.manager)
        tag_editor, _ = self.read(editor, url)
        tag_manager, _ = self.read(manager, url)
        self.assertEqual(tag_editor, tag_manager)
        versions_before = self.mou.history.count()

        first = editor.patch(url, {"title": "Title by the editor"}, format="json", HTTP_IF_MATCH=tag_editor)
        self.assertEqual(first.status_code, 200)
        second = manager.patch(url, {"title": "Title by the manager", "summary": "Lost?"}, format="json",
                               HTTP_IF_MATCH=tag_manager)

        self.assert_refused(second, self.mou)
        self.assertEqual(second.json()["current_version"], first["ETag"].strip('"'))
        self.assertEqual(self.mou.title, "Title by the editor")
        self.assertNotEqual(self.mou.summary, "Lost?")
        self.assertEqual(self.mou.history.count(), versions_before + 1)
        # Read again, redo: it goes through.
        fresh, _ = self.read(manager, url)
        third = manager.patch(url, {"title": "Title by the manager"}, format="json", HTTP_IF_MATCH=fresh)
        self.assertEqual(third.status_code, 200)

    def test_a_stale_put_is_refused_too(self):
        url = f"/api/organizations/{self.qrcs.pk}/"
        client = self.client_for(self.editor)
        tag, body = self.read(client, url)
        Organization.objects.get(pk=self.qrcs.pk).save()
        body = {key: value for key, value in body.items() if key not in ("id", "url")}
        response = client.put(url, {**body, "city": "Elsewhere"}, format="json", HTTP_IF_MATCH=tag)
        self.assert_refused(response, self.qrcs)
        self.assertNotEqual(self.qrcs.city, "Elsewhere")

    def test_a_stale_write_is_refused_before_its_data_is_validated(self):
        url = f"/api/organizations/{self.qrcs.pk}/"
        tag, _ = self.read(self.client_for(self.editor), url)
        Organization.objects.get(pk=self.qrcs.pk).save()
        response = self.client_for(self.editor).patch(url, {"country": "ZZ"}, format="json", HTTP_IF_MATCH=tag)
        self.assert_refused(response, self.qrcs)

    def test_a_star_or_a_list_naming_the_current_version_goes_through(self):
        url = f"/api/organizations/{self.qrcs.pk}/"
        client = self.client_for(self.editor)
        for header in ("*", '"1", {tag}', '{tag}, "2"', ' {tag} '):
            with self.subTest(header=header):
                tag, _ = self.read(client, url)
                response = client.patch(url, {"city": f"City {header[:3]}"}, format="json",
                                        HTTP_IF_MATCH=header.format(tag=tag))
                self.assertEqual(response.status_code, 200, response.content)

    def test_a_list_without_the_current_version_a_weak_tag_or_garbage_never_matches(self):
        url = f"/api/organizations/{self.qrcs.pk}/"
        client = self.client_for(self.editor)
        tag, _ = self.read(client, url)
        version = tag.strip('"')
        for header in ('"1", "2"', f"W/{tag}", f'W/"{version}", "1"', version, "", "nonsense", '"', '"*"', ' "*" ',
                       '"*", "1"', f'"{version}-csv"'):
            with self.subTest(header=header):
                response = client.patch(url, {"city": "Nowhere"}, format="json", HTTP_IF_MATCH=header)
                self.assert_refused(response, self.qrcs)
                self.assertNotEqual(self.qrcs.city, "Nowhere")

    def test_a_quoted_star_is_an_ordinary_tag_not_the_wildcard_even_on_a_current_record(self):
        """RFC 9110: only a bare * is "any"; "*" is an entity tag that no version of a record has."""
        spare = OrganizationFactory()
        client = self.client_for(self.manager)
        for method, url in ((client.patch, f"/api/organizations/{self.qrcs.pk}/"),
                            (client.put, f"/api/organizations/{self.qrcs.pk}/"),
                            (client.delete, f"/api/organizations/{spare.pk}/")):
            with self.subTest(method=method.__name__):
                self.read(client, url)  # current: nothing changed since
                response = method(url, {"name": "Renamed", "city": "Nowhere"}, format="json", HTTP_IF_MATCH='"*"')
                self.assert_refused(response, type(self.qrcs).objects.get(pk=url.rstrip("/").rsplit("/", 1)[1]))
        self.assertNotEqual(self.qrcs.city, "Nowhere")
        self.assertTrue(Organization.objects.filter(pk=spare.pk).exists())

    def test_without_if_match_a_write_is_unconditional(self):
        """Documented in the schema: existing clients that never read an ETag keep working."""
        url = f"/api/organizations/{self.qrcs.pk}/"
        Organization.objects.get(pk=self.qrcs.pk).save()
        response = self.client_for(self.editor).patch(url, {"city": "Doha"}, format="json")
        self.assertEqual(response.status_code, 200)

    def test_a_stale_delete_is_refused_and_a_current_one_goes_through(self):
        spare = OrganizationFactory()
        url = f"/api/organizations/{spare.pk}/"
        client = self.client_for(self.manager)
        tag, _ = self.read(client, url)
        Organization.objects.get(pk=spare.pk).save()
        self.assert_refused(client.delete(url, HTTP_IF_MATCH=tag), spare)
        self.assertTrue(Organization.objects.filter(pk=spare.pk).exists())
        tag, _ = self.read(client, url)
        self.assertEqual(client.delete(url, HTTP_IF_MATCH=tag).status_code, 204)
        self.assertFalse(Organization.objects.filter(pk=spare.pk).exists())

    def test_permissions_come_first(self):
        url = f"/api/organizations/{self.qrcs.pk}/"
        response = self.client_for(self.viewer).patch(url, {"city": "X"}, format="json", HTTP_IF_MATCH='"1"')
        self.assertEqual(response.status_code, 403)
        self.assertEqual(APIClient().patch(url, {"city": "X"}, format="json", HTTP_IF_MATCH='"1"').status_code, 401)


class RepresentationETagTests(APIConcurrencyTestCase):
    def test_json_and_csv_bodies_of_a_record_have_different_strong_etags(self):
        client = self.client_for(self.editor)
        for resource, record in (("organizations", self.qrcs), ("agreements", self.mou), ("events", self.conference),
                                 ("contacts", self.al_sada)):
            with self.subTest(resource=resource):
                url = f"/api/{resource}/{record.pk}/"
                as_json, as_csv = client.get(url), client.get(url, {"format": "csv"})
                negotiated = client.get(url, HTTP_ACCEPT="text/csv")
                self.assertEqual((as_json.status_code, as_csv.status_code, negotiated.status_code), (200, 200, 200))
                self.assertNotEqual(as_json.content, as_csv.content)
                self.assertEqual(as_json["ETag"], etag(record))
                self.assertEqual(as_csv["ETag"], f'"{record_version(record)}-csv"')
                self.assertEqual(negotiated["ETag"], as_csv["ETag"])
                self.assertEqual(client.get(url, {"format": "json"})["ETag"], as_json["ETag"])

    def test_writes_take_the_json_tag_and_answer_with_it(self):
        url = f"/api/organizations/{self.qrcs.pk}/"
        client = self.client_for(self.editor)
        csv_tag = client.get(url, {"format": "csv"})["ETag"]
        self.assert_refused(client.patch(url, {"city": "From CSV"}, format="json", HTTP_IF_MATCH=csv_tag), self.qrcs)
        json_tag = client.get(url)["ETag"]
        response = client.patch(url, {"city": "From JSON"}, format="json", HTTP_IF_MATCH=json_tag)
        self.assertEqual(response.status_code, 200, response.content)
        self.qrcs.refresh_from_db()
        self.assertEqual(response["ETag"], etag(self.qrcs))
        self.assertEqual(client.get(url)["ETag"], response["ETag"])


class NestedWriteIfMatchTests(APIConcurrencyTestCase):
    def signatories(self):
        return list(Signatory.objects.filter(agreement=self.mou).order_by("pk").values_list("contact", "organization",
                                                                                              "title"))

    def test_a_stale_write_of_the_signatories_saves_none_of_them(self):
        url = f"/api/agreements/{self.mou.pk}/"
        client = self.client_for(self.editor)
        tag, body = self.read(client, url)
        before = self.signatories()
        Agreement.objects.get(pk=self.mou.pk).save()
        changed = [{**row, "title": "Changed"} for row in body["signatories"]]
        response = client.patch(url, {"signatories": changed}, format="json", HTTP_IF_MATCH=tag)
        self.assert_refused(response, self.mou)
        self.assertEqual(self.signatories(), before)

    def test_changing_only_the_signatories_moves_the_version(self):
        url = f"/api/agreements/{self.mou.pk}/"
        editor, manager = self.client_for(self.editor), self.client_for(self.manager)
        tag, body = self.read(editor, url)
        changed = [{**row, "title": "Changed"} for row in body["signatories"]]
        first = editor.patch(url, {"signatories": changed}, format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(first.status_code, 200, first.content)
        self.assertNotEqual(first["ETag"], tag)
        self.assertEqual({row[2] for row in self.signatories()}, {"Changed"})
        # Another client that read before it cannot put the old signatories back.
        self.assert_refused(manager.patch(url, {"signatories": body["signatories"]}, format="json",
                                          HTTP_IF_MATCH=tag), self.mou)
        self.assertEqual({row[2] for row in self.signatories()}, {"Changed"})


class LockTests(APIConcurrencyTestCase):
    def test_the_check_locks_the_row_in_the_transaction_that_saves(self):
        url = f"/api/organizations/{self.qrcs.pk}/"
        client = self.client_for(self.editor)
        tag, _ = self.read(client, url)
        for header in ({"HTTP_IF_MATCH": tag}, {"HTTP_IF_MATCH": "*"}, {}):
            with self.subTest(header=header), CaptureQueriesContext(connection) as queries:
                self.assertEqual(client.patch(url, {"city": "Doha"}, format="json", **header).status_code, 200)
                tag = None
                sql = [query["sql"] for query in queries]
                # get_object()'s read, then the reload of every column that takes the lock, then the save.
                reads = [i for i, q in enumerate(sql) if q.startswith('SELECT') and 'FROM "contacts_organization"' in q
                         and '"contacts_organization"."city"' in q.split("FROM")[0]]
                update = next(i for i, q in enumerate(sql) if q.startswith('UPDATE "contacts_organization"'))
                self.assertEqual(len(reads), 2, sql)
                self.assertLess(reads[1], update)
                if connection.features.has_select_for_update:
                    self.assertNotIn("FOR UPDATE", sql[reads[0]])
                    self.assertIn("FOR UPDATE", sql[reads[1]])
            tag, _ = self.read(client, url)

    def test_a_write_starts_from_the_row_as_locked_not_as_first_read(self):
        """A change committed after get_object() read the row (here on the same connection, for every database)
        survives a PATCH that does not send that field: with If-Match, with ``*`` and without."""
        url = f"/api/organizations/{self.qrcs.pk}/"
        client = self.client_for(self.editor)

        def change_then_lock(instance):
            Organization.objects.filter(pk=instance.pk).update(city="Set by the other writer", updated_at=timezone.now())
            return reload_locked(instance)

        for header in ("none", "*"):
            with self.subTest(header=header):
                Organization.objects.filter(pk=self.qrcs.pk).update(city="Doha")
                headers = {} if header == "none" else {"HTTP_IF_MATCH": header}
                with mock.patch.object(preconditions, "reload_locked", change_then_lock):
                    response = client.patch(url, {"acronym": "QRCS2"}, format="json", **headers)
                self.assertEqual(response.status_code, 200, response.content)
                self.qrcs.refresh_from_db()
                self.assertEqual((self.qrcs.acronym, self.qrcs.city), ("QRCS2", "Set by the other writer"))
                self.assertEqual(response.json()["city"], "Set by the other writer")

    def test_a_record_deleted_before_the_lock_is_a_404(self):
        def delete_then_lock(instance):
            Organization.objects.filter(pk=instance.pk).delete()
            return reload_locked(instance)

        client = self.client_for(self.manager)
        for method in (client.patch, client.delete):
            with self.subTest(method=method.__name__), \
                    mock.patch.object(preconditions, "reload_locked", delete_then_lock):
                spare = OrganizationFactory()
                self.assertEqual(method(f"/api/organizations/{spare.pk}/", {"city": "X"}, format="json").status_code,
                                 404)

    def test_the_check_and_the_save_run_inside_the_same_atomic_block_of_the_view(self):
        url = f"/api/agreements/{self.mou.pk}/"
        client = self.client_for(self.editor)
        tag, _ = self.read(client, url)
        seen = {}
        outside = list(connection.savepoint_ids)

        def spy(name, wrapped):
            def call(*args, **kwargs):
                seen[name] = list(connection.savepoint_ids)
                return wrapped(*args, **kwargs)
            return call

        with mock.patch("relations.core.api.preconditions.reload_locked", spy("check", reload_locked)), \
                mock.patch("relations.core.services.save_as", spy("save", save_as)):
            self.assertEqual(client.patch(url, {"title": "T"}, format="json", HTTP_IF_MATCH=tag).status_code, 200)
        self.assertEqual(seen["check"][: len(seen["check"])], seen["save"][: len(seen["check"])])
        self.assertGreater(len(seen["check"]), len(outside))


class SchemaDocumentsConcurrencyTests(APIConcurrencyTestCase):
    def test_the_schema_documents_if_match_etag_and_412(self):
        schema = self.client_for(self.viewer).get("/api/schema/?format=json").json()
        detail = schema["paths"]["/api/agreements/{id}/"]
        for method in ("put", "patch", "delete"):
            with self.subTest(method=method):
                names = {(p["name"], p["in"]) for p in detail[method].get("parameters", [])}
                self.assertIn(("If-Match", "header"), names)
                self.assertIn("412", detail[method]["responses"])
        self.assertIn("ETag", detail["get"]["responses"]["200"]["headers"])
        self.assertIn("ETag", detail["patch"]["responses"]["200"]["headers"])
        self.assertIn("ETag", schema["paths"]["/api/agreements/"]["post"]["responses"]["201"]["headers"])
        topic = schema["paths"]["/api/topics/{id}/"]
        self.assertEqual(set(topic), {"get"})
        self.assertIn("ETag", topic["get"]["responses"]["200"]["headers"])


@skipUnless(connection.vendor == "postgresql", "a second connection that waits on a row lock needs PostgreSQL")
class RowLockRaceTests(TransactionTestCase):
    """Two writers with the same If-Match at the same moment, on real connections: the row lock serialises them.

    The first holds its lock between the check and the save; the second's check waits on it, then reads
    the version the first committed and is refused. A check without the lock would let both through.
    """

    def test_the_second_of_two_simultaneous_writes_waits_for_the_first_and_is_refused(self):
        editor = create_personas()["editor"]
        organization = OrganizationFactory()
        url = f"/api/organizations/{organization.pk}/"
        tag = etag(organization)
        first_locked, second_started = threading.Event(), threading.Event()
        answers = {}

        def held_check(instance):
            found = reload_locked(instance)
            if threading.current_thread().name == "first":
                first_locked.set()
                second_started.wait(5)
                time.sleep(1)  # the second request reaches its own check meanwhile, and waits
            return found

        def write(name, city):
            try:
                if name == "second":
                    first_locked.wait(5)
                    second_started.set()
                client = APIClient()
                client.force_authenticate(editor)
                answers[name] = client.patch(url, {"city": city}, format="json", HTTP_IF_MATCH=tag)
            finally:
                connections.close_all()

        with mock.patch("relations.core.api.preconditions.reload_locked", held_check):
            threads = [threading.Thread(target=write, args=(name, city), name=name)
                       for name, city in (("first", "First city"), ("second", "Second city"))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(20)

        self.assertEqual(answers["first"].status_code, 200)
        self.assertEqual(answers["second"].status_code, 412, answers["second"].content)
        organization.refresh_from_db()
        self.assertEqual(organization.city, "First city")
        self.assertEqual(answers["second"].json()["current_version"], record_version(organization))

    def test_a_change_committed_by_another_connection_before_the_lock_survives_a_patch_without_that_field(self):
        """Another writer commits a new city after this PATCH's get_object() read the row, holding its own lock a
        moment: the PATCH waits for it, then writes from the row as committed - with If-Match ``*`` or none."""
        editor = create_personas()["editor"]
        organization = OrganizationFactory(city="Doha")
        url = f"/api/organizations/{organization.pk}/"

        def other_writer(city, locked):
            try:
                with transaction.atomic():
                    Organization.objects.filter(pk=organization.pk).update(city=city, updated_at=timezone.now())
                    locked.set()
                    time.sleep(1)  # this PATCH reaches its lock meanwhile, and waits
            finally:
                connections.close_all()

        for header, city in (({}, "First other city"), ({"HTTP_IF_MATCH": "*"}, "Second other city")):
            def change_then_lock(instance, city=city):
                locked = threading.Event()
                thread = threading.Thread(target=other_writer, args=(city, locked))
                thread.start()
                locked.wait(5)
                found = reload_locked(instance)
                thread.join(10)
                return found

            client = APIClient()
            client.force_authenticate(editor)
            with self.subTest(header=header), mock.patch.object(preconditions, "reload_locked", change_then_lock):
                response = client.patch(url, {"acronym": f"A{len(city)}"}, format="json", **header)
                self.assertEqual(response.status_code, 200, response.content)
                organization.refresh_from_db()
                self.assertEqual((organization.acronym, organization.city), (f"A{len(city)}", city))
