"""Named people who use Relations in the tests.

- viewer: reads every record, but not personal contact details
- editor: adds and changes records and sees contact details
- manager: also deletes records and manages users; staff
- outsider: has an account and no permission at all
"""

from django.contrib.auth.models import Permission, User
from django.db.models import Q

APPS = ("core", "contacts", "events", "agreements")


def _permissions(*actions: str, extra: tuple[str, ...] = ()):
    query = Q(content_type__app_label__in=APPS, codename__regex=rf"^({'|'.join(actions)})_")
    for codename in extra:
        query |= Q(codename=codename)
    # Historical models' permissions are not granted separately.
    return Permission.objects.filter(query).exclude(content_type__model__startswith="historical")


def make_user(username: str, *actions: str, extra: tuple[str, ...] = (), staff: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "correct horse battery staple")
    user.is_staff = staff
    user.save()
    if actions or extra:
        user.user_permissions.set(_permissions(*actions, extra=extra))
    return user


PASSWORD = "correct horse battery staple"


def create_personas():
    return {
        "viewer": make_user("vera_viewer", "view"),
        "editor": make_user(
            "eddie_editor", "view", "add", "change", extra=("view_contact_details",), staff=True
        ),
        "manager": make_user(
            "mona_manager", "view", "add", "change", "delete", extra=("view_contact_details",), staff=True
        ),
        "outsider": make_user("otto_outsider"),
    }
