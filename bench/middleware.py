"""Bench-only middleware: count the SQL queries of each request and report them in a response header."""

from django.db import connections


class QueryCountMiddleware:
    """Adds ``X-Bench-Queries: <n>`` to every response: the queries run on any database for this request.

    Counts through ``connection.execute_wrapper``, so it works with DEBUG off (no query log kept).
    A streamed response's queries that run after the view returns are not counted.
    """

    header = "X-Bench-Queries"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [connection.execute_wrapper(counter) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response[self.header] = str(count)
        return response
