"""Shared helpers for the API tests: an APIClient, JSON shortcuts, the resources' URLs."""

from rest_framework.test import APIClient

from tests.base import RelationsTestCase

RESOURCES = ["organizations", "contacts", "events", "agreements", "topics", "sources"]


class APITestCase(RelationsTestCase):
    client_class = APIClient

    def get_json(self, url, user=None, expect=200, **params):
        if user is not None:
            self.client.force_authenticate(user)
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, expect, getattr(response, "data", response))
        self.assertEqual(response["Content-Type"], "application/json")
        return response.json()

    def ids(self, url, **params):
        """The ids of the records a viewer gets from ``url`` with ``params`` (page_size 200)."""
        body = self.get_json(url, user=self.viewer, page_size=200, **params)
        return {row["id"] for row in body["results"]}
