"""Run the API's read queries (a lean list's page and nested rows, a lean detail's queries) so that
PostgreSQL keeps their plans.

Django binds parameters on the client (psycopg's ClientCursor): each execution sends a new query text,
which PostgreSQL parses, analyses and plans again. A list page's nested-rows query is a UNION ALL of
joins whose planning costs as much as running it (1-2 ms of 3-5 ms on the bench data). It is
compiled once per process and only its ids change; a list's first page is asked for again and again
with the same query. So these go to PostgreSQL with server-side parameters: psycopg prepares a query
once it has run ``prepare_threshold`` times on a connection (settings: ``DJANGO_DB_PREPARE_THRESHOLD``,
default 5) and executes the prepared statement from then on. Integer parameters are sent as
``bigint`` whatever their size, and lists of them (a page's ids) as ``bigint[]``, so that one
statement serves every page (psycopg would otherwise type each id by its magnitude, one statement
per mix).

Every other query is unchanged: Django's cursors bind on the client and psycopg never prepares those.
With connections that last one request (``DJANGO_CONN_MAX_AGE=0``) a query rarely reaches the
threshold, and nothing changes either. Through a pooler that cannot keep prepared statements
(PgBouncer before 1.21 in transaction mode), set ``DJANGO_DB_PREPARE_THRESHOLD=off``.

The statement goes through Django's cursor wrapper: query counting, ``execute_wrapper`` hooks, debug
logging and database-error wrapping apply as to any other query.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from psycopg.types.numeric import Int8


def _prepares(connection) -> bool:
    """Whether queries run here go with server-side parameters (PostgreSQL with a prepare threshold)."""
    options = connection.settings_dict["OPTIONS"]
    return connection.vendor == "postgresql" and options.get("prepare_threshold") is not None


def values(queryset) -> list[dict]:
    """``list(queryset)`` of a ``values()`` queryset (an API page's rows), run by ``fetchall``: on PostgreSQL
    a page that is asked for again and again (the first page of a list, of a filter) is prepared too.

    The rows are what Django's ``ValuesIterable`` gives: its names, and the compiler's own
    ``results_iter`` over the fetched rows (the converters Django applies)."""
    alias = queryset.db
    if not _prepares(connections[alias]):
        return list(queryset)
    query = queryset.query
    compiler = query.get_compiler(alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    names = list(query.selected) if query.selected else [
        *query.extra_select, *query.values_select, *query.annotation_select,
    ]
    return [dict(zip(names, row)) for row in compiler.results_iter([fetchall(alias, sql, params)])]


def _bigint(param):
    """An integer as ``bigint``, a list's integers as ``bigint[]``; anything else as it is."""
    if type(param) is int:
        return Int8(param)
    if type(param) is list:
        return [Int8(item) if type(item) is int else item for item in param]
    return param


def fetchall(alias: str, sql: str, params: list) -> list[tuple]:
    """Every row of ``sql`` with ``params`` on the database ``alias``."""
    connection = connections[alias]
    if not _prepares(connection):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    from django.db.backends.postgresql import base

    # As Django's own BaseDatabaseWrapper._cursor, with a server-binding cursor.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = base.ServerBindingCursor(connection.connection)
        # As Django's create_cursor: the session's time zone when the connection's loader has another.
        loader = connection.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
        if connection.timezone != loader.timezone:
            base.register_tzloader(connection.timezone, raw)
        cursor = connection._prepare_cursor(raw)
    params = [_bigint(param) for param in params]
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
