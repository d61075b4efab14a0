from django.conf import settings


def office(request):
    """Expose the office name to every template (page titles, header)."""
    return {"office_name": settings.RELATIONS_OFFICE_NAME}
