"""PostgreSQL: statistics on the columns the agreements' search reads, so that a common word is planned
as the many matches it has (relations/core/indexes.py search_statistics)."""

from django.db import migrations

from relations.core.indexes import search_statistics


class Migration(migrations.Migration):
    dependencies = [("agreements", "0006_list_order_index")]

    operations = [search_statistics("agreements_agreement", ("title", "summary"))]
