"""The filtered contact lists read indexes, not whole tables (issue 7: no full scans on the hot paths).

Each test asks the database for the plan of the query a filtered list runs (``QuerySet.explain()``)
and names the index it must use. SQLite plans from the schema alone, so its plan is the one a
production database gets. PostgreSQL plans from statistics: on a few test rows a sequential scan is
rightly cheaper, so there the test turns sequential scans off (``enable_seqscan``) and checks that
an index can serve the query at all - which is what breaks when the query's shape drifts. On the
bench's 20,000 contacts (statistics gathered) PostgreSQL picks ``contacts_position_org_dates`` too.
The bench (``make bench-scale``) measures the same lists with 1,000 and 20,000 contacts.
"""

from contextlib import contextmanager

from django.db import connection

from relations.contacts.filtersets import ContactFilterSet
from relations.contacts.selectors import contact_list
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

    def test_the_filter_finds_the_same_people_as_before(self):
        # The index changes how the rows are found, never which: the article's current TM people.
        people = set(filtered({"country": "TM", "position_status": "current"}).values_list("pk", flat=True))
        self.assertIn(self.achilova.pk, people)
        self.assertNotIn(self.al_sada.pk, people)
