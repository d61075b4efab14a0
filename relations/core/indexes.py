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
