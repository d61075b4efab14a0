"""The filtered contact lists and the name search read indexes, not whole tables (issue 7: no full
scans on the hot paths).

Each test asks the database for the plan of the query a filtered list runs (``QuerySet.explain()``)
and names the index it must use. SQLite plans from the schema alone, so its plan is the one a
production database gets. PostgreSQL plans from statistics: on a few test rows a sequential scan is
rightly cheaper, so there the test turns sequential scans off (``enable_seqscan``) and checks that
an index can serve the query at all - which is what breaks when the query's shape drifts. On the
bench's 20,000 contacts (statistics gathered) PostgreSQL picks ``contacts_position_org_dates`` too.
The bench (``make bench-scale``) measures the same lists with 1,000 and 20,000 contacts.
"""

import unittest
from contextlib import contextmanager

from django.db import connection
from django.db.models import Count

from relations.contacts.filtersets import ContactFilterSet, OrganizationFilterSet
from relations.contacts.models import Contact, Organization, Position
from relations.contacts.selectors import contact_list
from relations.core.filters import search_key_filter, search_key_q
from tests.base import RelationsTestCase

POSITION_INDEX = "contacts_position_org_dates"


def filtered(data):
    filterset = ContactFilterSet(data, queryset=contact_list())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


@contextmanager
def plans_from_indexes():
    """On PostgreSQL, plans that use an index wherever one can serve (see the module's docstring)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")


def full_scans(plan: str, table: str) -> list[str]:
    """The lines of ``plan`` that read every row of ``table``."""
    if connection.vendor == "postgresql":
        return [line for line in plan.splitlines() if f"Seq Scan on {table}" in line]
    return [line for line in plan.splitlines() if line.strip().endswith(f"SCAN {table}") or f"SCAN {table} " in line]


class FilteredContactListPlanTests(RelationsTestCase):
    def assert_reads_positions_by_index(self, data):
        with plans_from_indexes():
            plan = filtered(data).explain()
        self.assertEqual(full_scans(plan, "contacts_position"), [], plan)
        if connection.vendor == "sqlite":
            # Only the index is read for the positions (organization, dates and person are all in it).
            # PostgreSQL, on a handful of rows, may as well take the organization_id index instead.
            self.assertIn(f"COVERING INDEX {POSITION_INDEX}", plan, plan)
        return plan

    def test_country_and_current_position_read_the_positions_index(self):
        self.assert_reads_positions_by_index({"country": "TM", "position_status": "current"})

    def test_country_alone_reads_the_positions_index(self):
        self.assert_reads_positions_by_index({"country": "TM"})

    def test_organization_and_past_position_read_the_positions_index(self):
        self.assert_reads_positions_by_index({"organization": self.turkmen.pk, "position_status": "past"})

    def test_everyone_in_post_walks_the_list_order_and_stops_at_the_page(self):
        # Most people are in post: collecting every match (pk__in) made SQLite sort them all (17,074 on
        # the bench data, 23 ms) for one page; tested person by person in the list's order, it stops
        # after the page's rows (0.1 ms). The count still reads every person, whatever the shape.
        # (PostgreSQL's plan comes from statistics: on the bench's data it walks the same index with a
        # semi-join, on a few test rows it rightly sorts them.)
        if connection.vendor == "sqlite":
            page = filtered({"position_status": "current"}).order_by("family_name", "given_name", "pk")[:50]
            plan = page.explain()
            self.assertIn("SCAN contacts_contact USING INDEX contacts_co_family__ffcbb8_idx", plan, plan)
            self.assertNotIn("TEMP B-TREE FOR ORDER BY", plan)
            # each person's positions and their dates from one index (contacts 0008), as for the count
            self.assertIn("USING COVERING INDEX contacts_position_person_dates (contact_id=?)", plan, plan)
            count = filtered({"position_status": "current"}).explain()
            self.assertIn("USING COVERING INDEX contacts_position_person_dates (contact_id=?)", count, count)
        self.assertEqual(
            set(filtered({"position_status": "current"}).values_list("pk", flat=True)),
            set(Contact.objects.filter(positions__in=Position.objects.current()).values_list("pk", flat=True)),
        )

    def test_the_filter_finds_the_same_people_as_before(self):
        # The index changes how the rows are found, never which: the article's current TM people.
        people = set(filtered({"country": "TM", "position_status": "current"}).values_list("pk", flat=True))
        self.assertIn(self.achilova.pk, people)
        self.assertNotIn(self.al_sada.pk, people)


@unittest.skipUnless(connection.vendor == "sqlite", "the FTS5 trigram index is SQLite's (PostgreSQL: contacts 0003)")
class SqliteNameSearchPlanTests(RelationsTestCase):
    """Name search on SQLite reads the trigram index ``<table>_search`` (migration core 0006), not every row."""

    def test_a_name_search_reads_the_trigram_index_not_the_table(self):
        for filterset_class, model_queryset, table in (
            (ContactFilterSet, contact_list(), "contacts_contact"),
            (OrganizationFilterSet, Organization.objects.all(), "contacts_organization"),
        ):
            for query in ("al sada", "Ачилова", "red crescent"):
                with self.subTest(table=table, query=query):
                    filterset = filterset_class({"search": query}, queryset=model_queryset)
                    self.assertTrue(filterset.is_valid())
                    plan = filterset.qs.explain()
                    self.assertIn(f"{table}_search VIRTUAL TABLE", plan, plan)
                    self.assertEqual(full_scans(plan, table), [], plan)

    def test_the_index_finds_the_same_records_as_the_table(self):
        queries = ["al sada", "Al-Sada", "السادة", "Ачилова", "ac", "a", "nurl", "red crescent", "qrcs", "zzzq"]
        for model in (Contact, Organization):
            for query in queries:
                with self.subTest(model=model.__name__, query=query):
                    indexed = set(search_key_filter(model.objects.all(), query).values_list("pk", flat=True))
                    scanned = set(model.objects.filter(search_key_q(query)).values_list("pk", flat=True))
                    self.assertEqual(indexed, scanned)

    def test_triggers_keep_the_index_up_to_date(self):
        # A later migration that makes Django rebuild the table (create, copy, drop, rename) drops these
        # triggers: it must then call create_sqlite_search again (core 0006).
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_search_%'")
            triggers = {name for (name,) in cursor.fetchall()}
        self.assertEqual(triggers, {f"{table}_search_{event}" for table in ("contacts_contact", "contacts_organization")
                                    for event in ("insert", "update", "delete")})

        def found(query):
            return set(search_key_filter(Contact.objects.all(), query).values_list("pk", flat=True))

        person = Contact.objects.create(given_name="Zhyldyz", family_name="Orozbekova")
        self.assertEqual(found("orozbekova"), {person.pk})
        person.family_name = "Toktogulova"
        person.save()
        self.assertEqual(found("orozbekova"), set())
        self.assertEqual(found("toktogulova"), {person.pk})
        Contact.objects.bulk_create([Contact(given_name="Aibek", family_name="Sydykov", search_key="aibek sydykov")])
        self.assertEqual(len(found("sydykov")), 1)
        person.delete()
        self.assertEqual(found("toktogulova"), set())


class RecentlyChangedPlanTests(RelationsTestCase):
    """The start page's "recently changed" reads the newest rows of each kind from an index on
    ``updated_at`` (contacts 0006, events 0003, agreements 0004) instead of sorting whole tables:
    19 ms -> 1 ms for the four kinds on the bench's SQLite data."""

    def test_each_kind_walks_its_updated_at_index(self):
        from relations.agreements.models import Agreement
        from relations.events.models import Event

        for model in (Organization, Contact, Event, Agreement):
            with self.subTest(model=model.__name__), plans_from_indexes():
                plan = model.objects.order_by("-updated_at")[:10].explain()
                self.assertRegex(plan, r"updated_\w+_idx", plan)
                self.assertNotIn("TEMP B-TREE", plan)
                self.assertNotRegex(plan, r"\bSort\b", plan)

    def test_the_partners_list_walks_the_name_index(self):
        with plans_from_indexes():
            plan = Organization.objects.order_by("name", "pk")[:25].explain()
        self.assertRegex(plan, r"contacts_or_name_\w+_idx", plan)


class StartPagePlanTests(RelationsTestCase):
    """The start page's counts per region read the participations and parties from an index alone
    (events 0004, agreements 0005); its months are SQLite's own date function, not a Python one."""

    def test_the_counts_per_region_read_organization_indexes_alone(self):
        from relations.agreements.models import Party
        from relations.events.models import Participation

        for model, index in ((Participation, "events_part_org_event_idx"), (Party, "agreements_party_org_agr_idx")):
            related = "event_id" if model is Participation else "agreement_id"
            queryset = model.objects.values_list("organization__region").annotate(n=Count(related, distinct=True)).order_by()
            with self.subTest(model.__name__):
                with connection.cursor() as cursor:
                    indexes = connection.introspection.get_constraints(cursor, model._meta.db_table)
                self.assertEqual(indexes[index]["columns"], ["organization_id", related])
                if connection.vendor == "sqlite":
                    # SQLite plans from the schema alone: the plan is the one production gets.
                    self.assertIn(f"COVERING INDEX {index}", queryset.explain())
                # PostgreSQL plans from statistics, which a test database's few rows do not give: on
                # the bench data (VACUUM ANALYZE) it reads this index alone (Index Only Scan, README).

    def test_months_are_the_same_as_djangos_truncmonth(self):
        import datetime

        from django.db.models.functions import TruncMonth

        from relations.core.selectors import MonthStart
        from relations.events.models import Event
        from relations.events.selectors import dated_events

        for day in ("2024-01-01", "2024-01-31", "2024-02-29", "2024-12-31", "1999-07-15"):
            Event.objects.create(title=f"On {day}", start_date=day)
        Event.objects.create(title="End only", end_date="2023-03-03")
        ours = list(dated_events().annotate(m=MonthStart("first_day")).values_list("title", "m").order_by("title"))
        django = list(dated_events().annotate(m=TruncMonth("first_day")).values_list("title", "m").order_by("title"))
        self.assertEqual(ours, django)
        self.assertIn(("End only", datetime.date(2023, 3, 1)), ours)
        self.assertIn(("On 2024-02-29", datetime.date(2024, 2, 1)), ours)
        if connection.vendor == "sqlite":
            sql = str(dated_events().annotate(m=MonthStart("first_day")).values("m").query)
            self.assertIn("'start of month'", sql)
            self.assertNotIn("django_date_trunc", sql)


class ListOrderIndexTests(RelationsTestCase):
    """A page of events or agreements in their default order (date descending, undated last, then
    title and id) is read from an index in that order, not gathered and sorted (events 0005,
    agreements 0006; relations/core/indexes.OrderIndex)."""

    def test_the_api_pages_read_the_list_order_index(self):
        from relations.agreements.api.views import AgreementViewSet
        from relations.core.api.pagination import stable_order
        from relations.events.api.views import EventViewSet

        for viewset, table, index in (
            (EventViewSet, "events_event", "events_event_list_order"),
            (AgreementViewSet, "agreements_agreement", "agreements_list_order"),
        ):
            with self.subTest(index), plans_from_indexes():
                plan = stable_order(viewset.queryset.all())[:50].explain()
                self.assertIn(index, plan)
                if connection.vendor == "sqlite":
                    self.assertIn(f"SCAN {table} USING INDEX {index}", plan)
                    self.assertNotIn("TEMP B-TREE", plan)
                else:
                    self.assertNotIn("Sort", plan)

    def test_sqlite_gets_the_index_without_the_nulls_modifier_it_does_not_accept(self):
        from django.db.models import F

        from relations.core.indexes import _sqlite_order

        self.assertEqual(str(_sqlite_order(F("day").desc(nulls_last=True))), str(F("day").desc()))
        self.assertEqual(str(_sqlite_order(F("day").asc(nulls_first=True))), str(F("day").asc()))
        with self.assertRaises(ValueError):
            _sqlite_order(F("day").desc(nulls_first=True))  # not SQLite's order: no index can hold it
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, "events_event")
        self.assertIn("events_event_list_order", indexes)
        self.assertEqual(indexes["events_event_list_order"]["columns"], ["start_date", "title", "id"])


@unittest.skipUnless(connection.vendor == "postgresql", "INCLUDE indexes are PostgreSQL's (SQLite reads rows by rowid)")
class NestedNamesIndexTests(RelationsTestCase):
    """The names beside a list's records (participants', parties', signatories', positions') can be read
    from the indexes on the primary key that include them (contacts 0007) instead of the tables: each
    index holds every column of its table that the nested rows' query reads.

    Which way PostgreSQL takes depends on statistics that a test database's rows do not give (on the
    bench data it reads these indexes alone, Index Only Scan; the migration has the figures); what can
    drift is the query, e.g. a new field in a participant's representation that the index lacks.
    """

    INDEXES = {
        "contacts_organization": ("contacts_organization_id_name", {"id", "name"}),
        "contacts_contact": ("contacts_contact_id_names", {"id", "honorific", "given_name", "family_name"}),
    }

    def columns_read(self, viewset) -> dict[str, set[str]]:
        """The columns of each table that the nested rows' query of ``viewset``'s list reads."""
        from django.db.models.expressions import Col
        from rest_framework.request import Request
        from rest_framework.test import APIRequestFactory

        from relations.core.api.lean import values_plan

        request = Request(APIRequestFactory().get("/api/"))
        request.user = self.editor
        plan = values_plan(viewset.serializer_class(context={"request": request, "format": None}))
        query = plan._query([1, 2], array=True).query
        columns: dict[str, set[str]] = {}
        for branch in query.combined_queries or [query]:
            compiler = branch.get_compiler(connection.alias)
            compiler.setup_query()  # joins the related tables
            pending = [expression for expression, *_ in compiler.select]
            pending += [expression for expression, _ in compiler.get_order_by()]
            pending += [branch.where]
            while pending:
                expression = pending.pop()
                if isinstance(expression, Col):
                    table = branch.alias_map[expression.alias].table_name
                    columns.setdefault(table, set()).add(expression.target.column)
                elif hasattr(expression, "get_source_expressions"):
                    pending += [e for e in expression.get_source_expressions() if e is not None]
                elif hasattr(expression, "children"):
                    pending += expression.children
            for alias, join in branch.alias_map.items():
                if not branch.alias_refcount[alias]:
                    continue  # a join the query left out
                for _parent_column, child_column in getattr(join, "join_cols", ()):
                    columns.setdefault(join.table_name, set()).add(child_column)
        return columns

    def test_each_index_holds_every_column_the_nested_rows_read(self):
        from relations.agreements.api.views import AgreementViewSet
        from relations.contacts.api.views import ContactViewSet
        from relations.events.api.views import EventViewSet

        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                           [[index for index, _columns in self.INDEXES.values()]])
            definitions = dict(cursor.fetchall())
        self.assertEqual(definitions["contacts_organization_id_name"].split(" USING btree ")[1], "(id) INCLUDE (name)")
        self.assertEqual(definitions["contacts_contact_id_names"].split(" USING btree ")[1],
                         "(id) INCLUDE (honorific, given_name, family_name)")
        for viewset, tables in ((EventViewSet, {"contacts_organization", "contacts_contact"}),
                                (AgreementViewSet, {"contacts_organization", "contacts_contact"}),
                                (ContactViewSet, {"contacts_organization"})):
            with self.subTest(viewset.__name__):
                read = self.columns_read(viewset)
                self.assertEqual(tables, set(read) & set(self.INDEXES), read)
                for table in tables:
                    self.assertLessEqual(read[table], self.INDEXES[table][1], (table, read[table]))
