"""The three roles of Relations as auth groups, defined once and applied by migrations.

- Viewer reads every record, but not personal contact details: neither the
  ``contacts.view_contact_details`` permission nor a person's history (whose
  versions carry the same email, phone and notes).
- Editor adds and changes every record, including history entries (so it can
  revert to an earlier version), and sees contact details.
- Manager is an Editor who also deletes records and manages users, groups and
  API tokens, and lifts paused logins (django-axes' failed-login counts).

``ensure_roles(apps)`` takes the app registry (the live one, or a migration's
historical one), creates any missing permission first, then sets each group's
permissions to exactly its role. Running it twice changes nothing, so any later
migration that adds a model calls it again to bring the roles up to date.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

DOMAIN_APPS = ("core", "contacts", "events", "agreements")
CONTACT_DETAILS = "view_contact_details"
# A person's past versions hold the same personal details as the person.
PERSONAL_HISTORY = "view_historicalcontact"

VIEWER, EDITOR, MANAGER = "Viewer", "Editor", "Manager"
MANAGED_AUTH = (
    ("auth", ("user", "group")),
    ("authtoken", ("token", "tokenproxy")),
    # django-axes' failed-login counts: a manager lifts a pause by deleting one (relations/core/admin.py).
    ("axes", ("accessattempt",)),
)


def _create_missing_permissions(apps, using: str) -> None:
    # Permissions are normally created by a post_migrate signal, i.e. after
    # every migration has run: create them now so this migration can use them.
    for app_config in apps.get_app_configs():
        had_models_module = getattr(app_config, "models_module", None)
        app_config.models_module = had_models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=using)
        finally:
            app_config.models_module = had_models_module


def _domain(actions: tuple[str, ...]) -> Q:
    return Q(content_type__app_label__in=DOMAIN_APPS, codename__regex=rf"^({'|'.join(actions)})_")


def role_permissions(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Each role's name and the queryset of its permissions."""
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(using)
    manage_auth = Q(pk__in=[])
    for app_label, models in MANAGED_AUTH:
        manage_auth |= Q(content_type__app_label=app_label, content_type__model__in=models)
    contact_details = Q(content_type__app_label="contacts", codename=CONTACT_DETAILS)
    return {
        VIEWER: permissions.filter(_domain(("view",))).exclude(
            codename__in=(CONTACT_DETAILS, PERSONAL_HISTORY)
        ),
        EDITOR: permissions.filter(_domain(("view", "add", "change")) | contact_details),
        MANAGER: permissions.filter(
            _domain(("view", "add", "change", "delete")) | contact_details | manage_auth
        ),
    }


def ensure_roles(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the Viewer, Editor and Manager groups with exactly their permissions."""
    _create_missing_permissions(apps, using)
    Group = apps.get_model("auth", "Group")
    for name, permissions in role_permissions(apps, using).items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)
