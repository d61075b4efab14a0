"""django-zeal watches every request the tests make: an N+1 raises instead of passing unnoticed."""

from unittest import mock

from zeal import NPlusOneError

from relations.contacts import views
from relations.contacts.models import Organization
from tests.base import RelationsTestCase
from tests.factories import ContactFactory, PositionFactory


class ZealGuardTests(RelationsTestCase):
    def setUp(self):
        self.client.force_login(self.editor)
        for _ in range(3):
            PositionFactory(organization=self.turkmen, contact=ContactFactory())

    def test_a_page_that_loads_a_relation_row_by_row_fails_the_test(self):
        # Without the selector's prefetches the page reads each position's person one by one.
        with (
            mock.patch.object(views.OrganizationDetailView, "selector", staticmethod(Organization.objects.all)),
            self.assertRaises(NPlusOneError),
        ):
            self.client.get(self.turkmen.get_absolute_url())

    def test_the_same_page_with_its_selector_passes(self):
        response = self.client.get(self.turkmen.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["object"].positions.all()), 4)  # Achilova and the three added
