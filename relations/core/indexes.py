"""Indexes shared by the apps' models."""

from django.db import models
from django.db.models import OrderBy


def _sqlite_order(expression):
    """``expression`` without a NULLS modifier that is SQLite's own order anyway (NULL sorts first):
    SQLite's CREATE INDEX accepts no NULLS FIRST / LAST."""
    if not isinstance(expression, OrderBy) or not (expression.nulls_first or expression.nulls_last):
        return expression
    if bool(expression.nulls_last) != bool(expression.descending):
        raise ValueError(f"SQLite cannot index {expression}: NULL sorts first there, so only ASC NULLS FIRST "
                         "and DESC NULLS LAST can be indexed")
    return OrderBy(expression.expression, descending=expression.descending)


class OrderIndex(models.Index):
    """An index in a list's order, ``NULLS LAST`` included, e.g. ``-start_date`` with undated events
    last: PostgreSQL reads a page from it only if the index holds that exact order. SQLite writes the
    same index without the modifier (which it does not accept in CREATE INDEX and which is its
    order for DESC anyway)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "sqlite" and self.expressions:
            index = self.clone()
            index.expressions = tuple(_sqlite_order(expression) for expression in self.expressions)
            return models.Index.create_sql(index, model, schema_editor, using, **kwargs)
        return super().create_sql(model, schema_editor, using, **kwargs)


def search_statistics(table: str, columns: tuple[str, ...]):
    """A migration operation: on PostgreSQL, statistics on ``upper(<column>::text)`` for each column a
    search filter matches with ``icontains`` (which Django writes ``UPPER(column::text) LIKE UPPER(...)``).

    Without them PostgreSQL guesses how many rows a ``%word%`` pattern matches from the pattern's
    length alone: a few. A common word ("meeting" is in 6,661 of the bench's 10,005 events) then makes
    it read and sort every match for one page (22 ms) where walking the list's order index stops after
    the page (0.3 ms). With statistics on the expression (collected by ANALYZE, which autovacuum runs)
    it tries the pattern on a sample of the column's values. Nothing on other databases.
    """
    from django.db import migrations

    names = [f"{table}_{column}_upper" for column in columns]

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name, column in zip(names, columns):
                schema_editor.execute(f'CREATE STATISTICS "{name}" ON (upper("{column}"::text)) FROM "{table}"')

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name in names:
                schema_editor.execute(f'DROP STATISTICS IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
