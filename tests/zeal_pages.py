"""django-zeal's detection context around every request of the tests, except the Django admin's.

The admin (data entry, Django's own views) is left out for now: its change pages render inline
rows whose names read related records one by one (see the report of issue 7).
"""

from zeal import zeal_context


def zeal_pages_middleware(get_response):
    def middleware(request):
        if request.path.startswith("/admin/"):
            return get_response(request)
        with zeal_context():
            return get_response(request)

    return middleware
