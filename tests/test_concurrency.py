"""Two people changing the same record: the second save is refused, nothing is overwritten."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.agreements.models import Agreement
from relations.core.concurrency import (
    StaleRecordError,
    check_version,
    etag,
    parse_if_match,
    record_version,
)
from tests.admin_forms import admin_form_data
from tests.base import RelationsTestCase
from tests.factories import TopicFactory


class VersionFunctionsTests(RelationsTestCase):
    def test_a_version_is_the_last_change_in_microseconds_and_its_etag_is_quoted(self):
        version = record_version(self.mou)
        self.assertTrue(version.isdigit())
        self.assertEqual(etag(self.mou), f'"{version}"')
        self.mou.save()
        self.assertNotEqual(record_version(self.mou), version)

    def test_the_version_is_the_same_after_a_reload(self):
        self.mou.save()
        self.assertEqual(record_version(Agreement.objects.get(pk=self.mou.pk)), record_version(self.mou))

    def test_if_match_headers_are_parsed(self):
        self.assertEqual(parse_if_match(None), [])
        self.assertEqual(parse_if_match("  "), [])
        self.assertEqual(parse_if_match("*"), ["*"])
        self.assertEqual(parse_if_match('"123"'), ["123"])
        self.assertEqual(parse_if_match('"123", W/"456" , "789"'), ["123", "789"])
        self.assertEqual(parse_if_match("123"), [])
        self.assertEqual(parse_if_match('"*"'), [])  # a quoted star is a tag, not the wildcard
        self.assertEqual(parse_if_match('"*", "123"'), ["123"])
        self.assertEqual(etag(self.mou, "json"), etag(self.mou))
        self.assertEqual(etag(self.mou, "csv"), f'"{record_version(self.mou)}-csv"')

    def test_the_current_version_passes(self):
        with transaction.atomic():
            check_version(self.mou, record_version(self.mou))
            check_version(self.mou, ["1", record_version(self.mou)])
            check_version(self.mou, ["*"])

    def test_an_old_version_is_refused_and_names_the_current_one(self):
        old = record_version(self.mou)
        Agreement.objects.get(pk=self.mou.pk).save()
        with self.assertRaisesMessage(StaleRecordError, "Someone else saved this agreement") as caught:
            check_version(self.mou, old)
        self.assertEqual(caught.exception.current, record_version(Agreement.objects.get(pk=self.mou.pk)))

    def test_a_missing_version_is_refused(self):
        for submitted in (None, "", "  ", [], [""]):
            with self.subTest(submitted=submitted), self.assertRaisesMessage(StaleRecordError, "which version"):
                check_version(self.mou, submitted)

    def test_a_record_deleted_meanwhile_is_refused(self):
        topic = TopicFactory()
        version = record_version(topic)
        type(topic).objects.filter(pk=topic.pk).delete()
        with self.assertRaisesMessage(StaleRecordError, "was deleted"):
            check_version(topic, version)

    def test_the_row_is_locked_where_the_database_can(self):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            check_version(self.mou, record_version(self.mou))
        self.assertEqual(len(queries), 1)
        if connection.features.has_select_for_update:
            self.assertIn("FOR UPDATE", queries[0]["sql"])


class AdminChangeFormConcurrencyTests(RelationsTestCase):
    def change_url(self, obj):
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    def open_form(self, user, obj):
        self.client.force_login(user)
        response = self.client.get(self.change_url(obj))
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_second_editor_is_refused_and_the_first_change_kept(self):
        first = admin_form_data(self.open_form(self.editor, self.mou), title="Title by the editor")
        second = admin_form_data(self.open_form(self.manager, self.mou), title="Title by the manager")
        versions_before = self.mou.history.count()

        self.client.force_login(self.editor)
        self.assertRedirects(self.client.post(self.change_url(self.mou), first), reverse("admin:agreements_agreement_changelist"))
        self.client.force_login(self.manager)
        refused = self.client.post(self.change_url(self.mou), second)

        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Someone else saved this agreement after you opened it")
        # The manager's typing is still in the form, to redo after reloading.
        self.assertContains(refused, "Title by the manager")
        self.mou.refresh_from_db()
        self.assertEqual(self.mou.title, "Title by the editor")
        self.assertEqual(self.mou.history.count(), versions_before + 1)

    def test_saving_again_after_reopening_goes_through(self):
        self.client.force_login(self.editor)
        self.client.post(self.change_url(self.mou), admin_form_data(self.open_form(self.editor, self.mou), title="One"))
        response = self.client.post(
            self.change_url(self.mou), admin_form_data(self.open_form(self.editor, self.mou), title="Two")
        )
        self.assertEqual(response.status_code, 302)
        self.mou.refresh_from_db()
        self.assertEqual(self.mou.title, "Two")

    def test_a_form_without_its_version_is_refused(self):
        data = admin_form_data(self.open_form(self.editor, self.qrcs), name="Renamed", record_version="")
        response = self.client.post(self.change_url(self.qrcs), data)
        self.assertContains(response, "does not say which version")
        self.qrcs.refresh_from_db()
        self.assertNotEqual(self.qrcs.name, "Renamed")

    def test_a_form_whose_version_is_a_star_is_refused(self):
        for star in ("*", " * "):
            with self.subTest(star=star):
                data = admin_form_data(self.open_form(self.editor, self.qrcs), name="Renamed", record_version=star)
                response = self.client.post(self.change_url(self.qrcs), data)
                self.assertContains(response, "does not say which version")
                self.qrcs.refresh_from_db()
                self.assertNotEqual(self.qrcs.name, "Renamed")

    def test_the_version_field_is_hidden(self):
        response = self.open_form(self.editor, self.conference)
        self.assertContains(
            response, f'<input type="hidden" name="record_version" value="{record_version(self.conference)}"', html=False
        )
