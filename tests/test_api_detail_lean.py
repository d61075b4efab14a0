"""API details are represented by the lean path (relations/core/api/detail.py) with exactly DRF's output.

Every resource's detail is read twice, once as served and once with DRF's own retrieve (the list's
filters applied, a fresh serializer, its ``.data``) patched back in, for a viewer and for an editor
(who also sees a person's email, phone and notes): bodies (JSON and CSV) and ETags must be identical.
The representation plan is kept between requests, so the tests also change what it depends on
(the user's permissions, the scheme) between two reads.
"""

from unittest import mock

from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from relations.agreements.api.views import AgreementViewSet
from relations.contacts.api.views import ContactViewSet, OrganizationViewSet
from relations.core.api.detail import CompiledDetail
from relations.core.api.preconditions import VersionedReadMixin
from relations.core.api.views import SourceViewSet, TopicViewSet
from relations.core.concurrency import etag
from relations.events.api.views import EventViewSet
from tests.base import RelationsTestCase

RESOURCES = {
    "contacts-api:organization-detail": OrganizationViewSet,
    "contacts-api:contact-detail": ContactViewSet,
    "events-api:event-detail": EventViewSet,
    "agreements-api:agreement-detail": AgreementViewSet,
    "core-api:topic-detail": TopicViewSet,
    "core-api:source-detail": SourceViewSet,
}
RECORDS = 8  # per resource: the first ones, the last ones and the richest one (most nested rows)


def stock_retrieve(self, request, *args, **kwargs):
    """DRF's RetrieveModelMixin.retrieve with the ETag, as the API answered before the lean path: the list's
    filters, the queryset's own prefetches (not the compiled queries), a fresh serializer's ``data``; the ETag
    of the representation (a CSV body has its own)."""
    self.filter_queryset = lambda queryset: GenericAPIView.filter_queryset(self, queryset)
    instance = GenericAPIView.get_object(self)
    return Response(self.get_serializer(instance).data,
                    headers={"ETag": etag(instance, request.accepted_renderer.format)})


def stock_details():
    return mock.patch.object(VersionedReadMixin, "retrieve", stock_retrieve)


class LeanDetailTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("generate_data", organizations=20, contacts=40, events=20, agreements=20, seed=11, verbosity=0)

    def records(self, viewset):
        queryset = viewset.queryset.model.objects.order_by("pk")
        pks = list(queryset.values_list("pk", flat=True))
        return sorted(set(pks[: RECORDS // 2] + pks[-RECORDS // 2 :] + [self.richest(viewset.queryset.model)]))

    def richest(self, model):
        nested = {"Contact": "positions", "Event": "participations", "Agreement": "signatories"}.get(model.__name__)
        if nested is None:
            return model.objects.order_by("pk").values_list("pk", flat=True).last()
        return model.objects.annotate(n=Count(nested)).order_by("-n", "pk").values_list("pk", flat=True).first()

    def assertSameAnswer(self, url, **extra):
        lean = self.client.get(url, **extra)
        with stock_details():
            stock = self.client.get(url, **extra)
        self.assertEqual(lean.status_code, stock.status_code)
        self.assertEqual(lean.content, stock.content)
        self.assertEqual(lean.headers.get("ETag"), stock.headers.get("ETag"))
        self.assertEqual(lean.headers["Content-Type"], stock.headers["Content-Type"])
        return lean

    def test_every_detail_is_identical_on_both_paths_for_every_persona(self):
        for persona in (self.viewer, self.editor, self.viewer):  # the viewer again after the editor's plan
            self.client.force_login(persona)
            for url_name, viewset in RESOURCES.items():
                for pk in self.records(viewset):
                    with self.subTest(persona=persona.username, url=url_name, pk=pk):
                        answer = self.assertSameAnswer(reverse(url_name, args=[pk]))
                        self.assertEqual(answer.status_code, 200)
                        self.assertEqual(answer.json()["id"], pk)
                        self.assertTrue(answer.headers["ETag"].startswith('"'))

    def test_csv_and_filtered_details_are_identical_on_both_paths(self):
        self.client.force_login(self.editor)
        for url_name, viewset in RESOURCES.items():
            pk = self.records(viewset)[0]
            for query in ("?format=csv", "?ordering=-id", "?search=zzzz-nothing-matches"):
                with self.subTest(url=url_name, query=query):
                    self.assertSameAnswer(reverse(url_name, args=[pk]) + query)
        url = reverse("contacts-api:organization-detail", args=[self.qrcs.pk])
        other_kind = "ifrc" if self.qrcs.kind != "ifrc" else "national_society"
        # A query string still goes through the list's filters: a record they exclude is not found.
        self.assertEqual(self.assertSameAnswer(f"{url}?kind={other_kind}").status_code, 404)
        self.assertEqual(self.assertSameAnswer(f"{url}?kind={self.qrcs.kind}").status_code, 200)

    def test_the_filters_given_no_parameter_filter_nothing(self):
        # What lets a detail GET without a query string skip them (VersionedReadMixin.filter_queryset).
        request = Request(APIRequestFactory().get("/api/"))
        request.user = self.editor
        for viewset in RESOURCES.values():
            with self.subTest(viewset.__name__):
                queryset = viewset.queryset.all()
                filterset = viewset.filterset_class(data=QueryDict(), queryset=queryset, request=request)
                self.assertTrue(filterset.is_valid())
                self.assertEqual(str(filterset.qs.query), str(queryset.query))

    def test_a_permission_granted_between_two_reads_shows_at_once(self):
        url = reverse("contacts-api:contact-detail", args=[self.al_sada.pk])
        self.client.force_login(self.viewer)
        self.assertNotIn("email", self.client.get(url).json())
        self.viewer.user_permissions.add(Permission.objects.get(codename="view_contact_details"))
        answer = self.assertSameAnswer(url)
        self.assertIn("email", answer.json())

    def test_urls_follow_each_requests_scheme(self):
        self.client.force_login(self.viewer)
        for url_name, viewset in RESOURCES.items():
            url = reverse(url_name, args=[self.records(viewset)[0]])
            with self.subTest(url_name):
                self.assertTrue(self.assertSameAnswer(url).json()["url"].startswith("http://testserver/"))
                self.assertTrue(self.assertSameAnswer(url, secure=True).json()["url"].startswith("https://testserver/"))

    def test_a_detail_runs_only_its_own_queries(self):
        # Session and user with permissions, then the record and one query per nested list.
        expected = {
            "contacts-api:organization-detail": 3,
            "contacts-api:contact-detail": 4,  # + positions with their organization
            "events-api:event-detail": 5,  # + topics, participations
            "agreements-api:agreement-detail": 6,  # + parties, signatories, areas
            "core-api:topic-detail": 3,
            "core-api:source-detail": 3,
        }
        self.client.force_login(self.editor)
        for url_name, viewset in RESOURCES.items():
            url = reverse(url_name, args=[self.records(viewset)[-1]])
            self.client.get(url)
            with self.subTest(url_name), self.assertNumQueries(expected[url_name]):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_every_viewset_queryset_compiles(self):
        # Else its details quietly take Django's way (fetch_detail's NOT_COMPILED) and lose the time.
        for viewset in RESOURCES.values():
            with self.subTest(viewset.__name__):
                detail = CompiledDetail(viewset.queryset, "default")
                record = detail(self.records(viewset)[-1])
                self.assertIsNotNone(record)
                self.assertEqual(
                    sorted(getattr(record, "_prefetched_objects_cache", {})),
                    sorted(getattr(viewset.queryset.get(pk=record.pk), "_prefetched_objects_cache", {})),
                )
                self.assertIsNone(detail(10**9))

    def test_ids_the_compiled_queries_do_not_take_answer_as_before(self):
        self.client.force_login(self.viewer)
        for url_name, viewset in RESOURCES.items():
            pk = self.records(viewset)[0]
            for value in ("0", f"000{pk}", "1.5", "abc", "9" * 16, "9" * 40, "-1", "%E2%91%A0"):
                with self.subTest(url=url_name, id=value):
                    url = reverse(url_name, args=[pk]).replace(f"/{pk}/", f"/{value}/")
                    answer = self.assertSameAnswer(url)
                    self.assertEqual(answer.status_code, 200 if value == f"000{pk}" else 404)
