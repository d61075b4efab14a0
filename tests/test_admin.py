"""The admin is the data-entry interface: every page renders, lists stay at a constant
number of queries, and inlines validate across each other."""

from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.agreements.models import Agreement
from relations.events.models import Event
from tests.base import RelationsTestCase
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    PartyFactory,
    PositionFactory,
    SignatoryFactory,
)

RELATIONS_APPS = {"core", "contacts", "events", "agreements"}
# Kept out of the admin on purpose: a calendar feed key is a password its owner alone sees and resets.
NOT_IN_ADMIN = {"core.FeedToken"}


def relations_models():
    return [model for model in admin.site._registry if model._meta.app_label in RELATIONS_APPS]


class AdminPagesRenderTests(RelationsTestCase):
    def setUp(self):
        self.client.force_login(self.manager)

    def test_every_model_is_registered(self):
        from django.apps import apps

        concrete = {
            m for app in RELATIONS_APPS for m in apps.get_app_config(app).get_models()
            if not m.__name__.startswith("Historical") and m._meta.label not in NOT_IN_ADMIN
        }
        self.assertEqual(concrete, set(relations_models()))

    def test_every_changelist_add_and_change_page_renders(self):
        for model in relations_models():
            opts = model._meta
            with self.subTest(model=opts.label):
                changelist = self.client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
                self.assertEqual(changelist.status_code, 200)
                add = self.client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
                self.assertEqual(add.status_code, 200)
                obj = model.objects.first()
                change = self.client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
                self.assertEqual(change.status_code, 200)
                self.assertContains(change, "History")

    def test_the_site_header_names_the_office(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Relations — International Relations Office")

    def test_search_finds_people_by_any_spelling(self):
        url = reverse("admin:contacts_contact_changelist")
        for query in ("Al Sada", "Al-Sada", "Alsada", "Ачилова"):
            with self.subTest(query=query):
                response = self.client.get(url, {"q": query})
                expected = "Achilova" if query == "Ачилова" else "Al Sada"
                self.assertContains(response, expected)

    def test_autocomplete_finds_organizations_so_nobody_types_an_id(self):
        response = self.client.get(
            reverse("admin:autocomplete"),
            {"term": "Turkmen", "app_label": "agreements", "model_name": "party", "field_name": "organization"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual([r["id"] for r in response.json()["results"]], [str(self.turkmen.pk)])


class AdminChangelistQueryCountTests(RelationsTestCase):
    """A changelist runs the same number of queries for the article's few rows and for 100 rows."""

    def make_rows(self):
        for _ in range(40):
            org = OrganizationFactory(parent=self.qrcs)
            contact = ContactFactory()
            PositionFactory(contact=contact, organization=org)
            event = EventFactory(parent=self.conference, host=org)
            ParticipationFactory(event=event, organization=org, contact=contact)
            agreement = AgreementFactory(event=event)
            PartyFactory(agreement=agreement, organization=org)
            SignatoryFactory(agreement=agreement, organization=org, contact=contact)

    def count_queries(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_changelists_stay_constant(self):
        self.client.force_login(self.manager)
        urls = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in relations_models()]
        before = {url: self.count_queries(url) for url in urls}
        self.make_rows()
        after = {url: self.count_queries(url) for url in urls}
        self.assertEqual(after, before)


class AdminInlineValidationTests(RelationsTestCase):
    def setUp(self):
        self.client.force_login(self.editor)

    def agreement_form(self, parties, signatories):
        data = {
            "title": "Cooperation in disaster response",
            "kind": Agreement.Kind.COOPERATION_AGREEMENT,
            "status": Agreement.Status.SIGNED,
            "signed_on": "2025-10-01",
            "expires_on": "2028-09-30",
            "parties-TOTAL_FORMS": str(len(parties)),
            "parties-INITIAL_FORMS": "0",
            "signatories-TOTAL_FORMS": str(len(signatories)),
            "signatories-INITIAL_FORMS": "0",
        }
        for i, org in enumerate(parties):
            data[f"parties-{i}-organization"] = str(org.pk)
        for i, (contact, org, title) in enumerate(signatories):
            data[f"signatories-{i}-contact"] = str(contact.pk)
            data[f"signatories-{i}-organization"] = str(org.pk)
            data[f"signatories-{i}-title"] = title
        return data

    def test_a_new_agreement_with_its_parties_and_signatories_in_one_submission(self):
        data = self.agreement_form(
            [self.qrcs, self.turkmen],
            [(self.al_sada, self.qrcs, "Vice-President"), (self.achilova, self.turkmen, "President")],
        )
        response = self.client.post(reverse("admin:agreements_agreement_add"), data)
        self.assertEqual(response.status_code, 302, response.context and response.context.get("errors"))
        agreement = Agreement.objects.get(title="Cooperation in disaster response")
        self.assertEqual(agreement.parties.count(), 2)
        self.assertEqual(agreement.signatories.count(), 2)

    def test_a_signatory_for_an_organization_that_is_not_a_party_is_refused_and_nothing_is_saved(self):
        data = self.agreement_form([self.qrcs], [(self.achilova, self.turkmen, "President")])
        response = self.client.post(reverse("admin:agreements_agreement_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "must sign on behalf of one of the agreement")
        self.assertFalse(Agreement.objects.filter(title="Cooperation in disaster response").exists())

    def test_an_expiry_before_signing_is_a_form_error(self):
        data = self.agreement_form([self.qrcs], [])
        data["expires_on"] = "2025-01-01"
        response = self.client.post(reverse("admin:agreements_agreement_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "cannot expire before it is signed")

    def test_the_same_person_twice_at_an_event_is_a_form_error(self):
        data = {
            "title": "Follow-up visit",
            "kind": Event.Kind.VISIT,
            "participations-TOTAL_FORMS": "2",
            "participations-INITIAL_FORMS": "0",
            "side_events-TOTAL_FORMS": "0",
            "side_events-INITIAL_FORMS": "0",
        }
        for i in range(2):
            data[f"participations-{i}-organization"] = str(self.qrcs.pk)
            data[f"participations-{i}-contact"] = str(self.al_sada.pk)
            data[f"participations-{i}-role"] = "participant"
        response = self.client.post(reverse("admin:events_event_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This person is listed twice")
        self.assertFalse(Event.objects.filter(title="Follow-up visit").exists())
