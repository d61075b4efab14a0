"""Named people who use Relations in the tests, each in one of the roles of relations/core/roles.py.

- viewer: reads every record, but not personal contact details
- editor: adds and changes records and sees contact details
- manager: also deletes records and manages users; staff
- outsider: has an account and no permission at all
"""

from django.contrib.auth.models import Group, User

from relations.core.roles import EDITOR, MANAGER, VIEWER, ensure_roles

PASSWORD = "correct horse battery staple"


def make_user(username: str, *groups: str, staff: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=staff)
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


def create_personas():
    # The roles come from a migration; TransactionTestCase (live server) flushes them, so recreate.
    if Group.objects.filter(name__in=(VIEWER, EDITOR, MANAGER)).count() < 3:
        ensure_roles()
    return {
        "viewer": make_user("vera_viewer", VIEWER),
        "editor": make_user("eddie_editor", EDITOR, staff=True),
        "manager": make_user("mona_manager", MANAGER, staff=True),
        "outsider": make_user("otto_outsider"),
    }
