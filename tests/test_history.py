"""Nothing is lost: every change is in the admin history, can be reverted by those allowed
to change the record, and deleted agreements and events stay in history."""

from django.contrib import admin
from django.urls import reverse

from relations.agreements.models import Agreement, Party
from relations.core.roles import VIEWER
from relations.events.models import Event
from tests.admin_forms import admin_form_data
from tests.base import RelationsTestCase
from tests.factories import EventFactory, PartyFactory
from tests.personas import make_user

RELATIONS_APPS = {"core", "contacts", "events", "agreements"}


def admin_url(obj, view, *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


class HistoryTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A Viewer who may open the admin, to show what the role can and cannot do there.
        cls.staff_viewer = make_user("stan_staff_viewer", VIEWER, staff=True)

    def edit_in_admin(self, user, obj, **changes):
        self.client.force_login(user)
        data = admin_form_data(self.client.get(admin_url(obj, "change")), **changes)
        response = self.client.post(admin_url(obj, "change"), data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None) and response.context.get("errors"))

    def test_every_models_history_shows_who_changed_it(self):
        for model in [m for m in admin.site._registry if m._meta.app_label in RELATIONS_APPS]:
            with self.subTest(model=model._meta.label):
                obj = model.objects.first()
                self.edit_in_admin(self.editor, obj)
                response = self.client.get(admin_url(obj, "history"))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "eddie_editor")
                self.assertEqual(obj.history.latest().history_user, self.editor)

    def test_an_editor_reverts_to_an_earlier_version(self):
        original = self.mou.title
        self.edit_in_admin(self.editor, self.mou)  # the fixture's rows start without history
        self.edit_in_admin(self.editor, self.mou, title="A mistaken title")
        earlier = self.mou.history.filter(title=original).latest()

        form = self.client.get(admin_url(self.mou, "simple_history", earlier.history_id))
        self.assertContains(form, "Revert")
        self.assertContains(form, 'name="_save"')
        response = self.client.post(admin_url(self.mou, "simple_history", earlier.history_id), admin_form_data(form))

        self.assertEqual(response.status_code, 302)
        self.mou.refresh_from_db()
        self.assertEqual(self.mou.title, original)
        self.assertEqual(self.mou.history.latest().history_user, self.editor)
        self.assertEqual(self.mou.history.latest().title, original)

    def test_a_revert_is_refused_if_the_record_changed_since_the_revert_page_opened(self):
        original = self.mou.title
        self.edit_in_admin(self.editor, self.mou)  # the fixture's rows start without history
        self.edit_in_admin(self.editor, self.mou, title="Second title")
        earlier = self.mou.history.filter(title=original).latest()
        self.client.force_login(self.editor)
        form = self.client.get(admin_url(self.mou, "simple_history", earlier.history_id))
        self.edit_in_admin(self.manager, self.mou, title="Third title")
        self.client.force_login(self.editor)

        response = self.client.post(admin_url(self.mou, "simple_history", earlier.history_id), admin_form_data(form))

        self.assertContains(response, "Someone else saved this agreement")
        self.mou.refresh_from_db()
        self.assertEqual(self.mou.title, "Third title")

    def test_a_viewer_sees_history_but_cannot_revert(self):
        original = self.mou.title
        self.edit_in_admin(self.editor, self.mou)  # the fixture's rows start without history
        self.edit_in_admin(self.editor, self.mou, title="A mistaken title")
        earlier = self.mou.history.filter(title=original).latest()
        self.client.force_login(self.staff_viewer)

        self.assertEqual(self.client.get(admin_url(self.mou, "history")).status_code, 200)
        form = self.client.get(admin_url(self.mou, "simple_history", earlier.history_id))
        self.assertEqual(form.status_code, 200)
        self.assertNotContains(form, 'name="_save"')
        response = self.client.post(admin_url(self.mou, "simple_history", earlier.history_id), admin_form_data(form))

        self.assertEqual(response.status_code, 403)
        self.mou.refresh_from_db()
        self.assertEqual(self.mou.title, "A mistaken title")

    def test_a_viewer_cannot_read_a_persons_history(self):
        self.client.force_login(self.staff_viewer)
        self.assertEqual(self.client.get(admin_url(self.al_sada, "history")).status_code, 403)
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(admin_url(self.al_sada, "history")).status_code, 200)

    def test_a_deleted_agreement_stays_in_history_with_its_parties(self):
        party = PartyFactory()
        agreement = party.agreement
        self.client.force_login(self.manager)
        response = self.client.post(admin_url(agreement, "delete"), {"post": "yes"})

        self.assertEqual(response.status_code, 302)
        self.assertFalse(Agreement.objects.filter(pk=agreement.pk).exists())
        deleted = Agreement.history.get(id=agreement.pk, history_type="-")
        self.assertEqual(deleted.title, agreement.title)
        self.assertEqual(deleted.history_user, self.manager)
        self.assertTrue(Party.history.filter(id=party.pk, history_type="-").exists())
        # The last version can be brought back as it was.
        deleted.instance.save()
        self.assertEqual(Agreement.objects.get(pk=agreement.pk).title, agreement.title)

    def test_a_deleted_event_stays_in_history(self):
        event = EventFactory(title="A workshop entered twice")
        self.client.force_login(self.manager)
        response = self.client.post(admin_url(event, "delete"), {"post": "yes"})

        self.assertEqual(response.status_code, 302)
        self.assertFalse(Event.objects.filter(pk=event.pk).exists())
        deleted = Event.history.get(id=event.pk, history_type="-")
        self.assertEqual((deleted.title, deleted.city, deleted.history_user), ("A workshop entered twice", "Geneva", self.manager))

    def test_only_the_manager_may_delete(self):
        event = EventFactory()
        self.client.force_login(self.editor)
        self.assertEqual(self.client.post(admin_url(event, "delete"), {"post": "yes"}).status_code, 403)
        self.assertTrue(Event.objects.filter(pk=event.pk).exists())
