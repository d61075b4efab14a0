"""PostgreSQL plans the events' and agreements' search from statistics on what it matches.

The search is ``icontains`` on several columns (``UPPER(column::text) LIKE UPPER('%word%')``). Without
statistics on that expression PostgreSQL guesses a handful of matches whatever the word, and for a
common word ("meeting": 6,661 of the bench's 10,005 events) reads and sorts every match for one page
instead of walking the list's order index. Migrations events 0006 and agreements 0007 create
statistics on ``upper(column::text)`` for every column the search reads; ANALYZE fills them.
"""

import json
import unittest
from datetime import date

from django.db import connection

from relations.agreements import filtersets as agreement_filters
from relations.agreements.models import Agreement
from relations.core.filters import text_q
from relations.events import filtersets as event_filters
from relations.events.models import Event
from tests.base import RelationsTestCase


def estimated_rows(queryset) -> float:
    plan = json.loads(queryset.explain(format="json"))[0]["Plan"]
    return plan["Plan Rows"]


@unittest.skipUnless(connection.vendor == "postgresql", "planner statistics are PostgreSQL's")
class SearchStatisticsTests(RelationsTestCase):
    def test_every_column_the_searches_read_has_statistics(self):
        for table, fields in (
            ("events_event", event_filters.SEARCH_FIELDS),
            ("agreements_agreement", agreement_filters.SEARCH_FIELDS),
        ):
            with connection.cursor() as cursor:
                cursor.execute("SELECT stxname FROM pg_statistic_ext WHERE stxrelid = %s::regclass", [table])
                names = {name for (name,) in cursor.fetchall()}
            with self.subTest(table):
                self.assertEqual({name for name in names if name.endswith("_upper")},
                                 {f"{table}_{field}_upper" for field in fields})

    def test_a_common_word_is_estimated_as_the_many_rows_it_matches(self):
        Event.objects.bulk_create(
            [Event(title=f"Side meeting {n}" if n % 3 else f"Regional conference {n}", start_date=date(2020, 1, 1))
             for n in range(300)]
        )
        Agreement.objects.bulk_create(
            [Agreement(title=f"Agreement {n}", summary=f"Cooperation in area {n}" if n % 3 else "")
             for n in range(300)]
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE events_event")
            cursor.execute("ANALYZE agreements_agreement")
        for model, fields, word in (
            (Event, event_filters.SEARCH_FIELDS, "meeting"),
            (Agreement, agreement_filters.SEARCH_FIELDS, "cooperation"),
        ):
            matching = model.objects.filter(text_q(word, fields))
            actual = matching.count()
            with self.subTest(model.__name__):
                self.assertGreater(actual, 190)
                # Without the statistics: a few rows, whatever the word.
                self.assertGreater(estimated_rows(matching), actual / 2)
