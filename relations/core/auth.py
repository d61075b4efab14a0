"""Authentication that loads a user together with their permissions: one query, not three.

Django's ModelBackend loads the user, then on the first permission check the user's own
permissions, then the permissions of their groups: three queries before any page or API call
does its work. Here the user row comes with every permission name it holds (own or through a
group) as one aggregated column of the same query, put where ModelBackend keeps its cache
(``_perm_cache``), so permission checks run no query at all. DRF's token authentication gets the
same treatment: token, user and permissions in one query.

Superusers are left to ModelBackend (``User.has_perm`` answers True for them without asking).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Aggregate, CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

SEPARATOR = ","


class JoinedNames(Aggregate):
    """The values of a text column joined by commas (SQLite and MySQL GROUP_CONCAT, PostgreSQL STRING_AGG)."""

    function = "GROUP_CONCAT"
    template = f"%(function)s(%(expressions)s, '{SEPARATOR}')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)

    def as_mysql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template=f"%(function)s(%(expressions)s SEPARATOR '{SEPARATOR}')", **extra_context
        )


def permission_names(user_ref: str = "pk"):
    """A subquery: every "app_label.codename" the user ``OuterRef(user_ref)`` holds, own or through a group."""
    User = get_user_model()
    user = OuterRef(OuterRef(user_ref))  # two levels out: user -> permission -> link table
    held = Permission.objects.filter(
        Q(pk__in=User.user_permissions.through.objects.filter(user=user).values("permission_id"))
        | Q(pk__in=Permission.group_set.through.objects.filter(group__user=user).values("permission_id"))
    )
    return Subquery(
        held.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(names=JoinedNames(Concat(F("content_type__app_label"), Value("."), F("codename"), output_field=CharField())))
        .values("names")[:1],
        output_field=CharField(),
    )


def remember_permissions(user, names: str | None):
    """Fill ModelBackend's permission cache of ``user`` from the aggregated ``names`` (None: no permission)."""
    if user is None or user.is_superuser:
        return user
    user._perm_cache = set(names.split(SEPARATOR)) if names else set()
    return user


class PermissionsModelBackend(ModelBackend):
    """ModelBackend whose ``get_user`` (every request with a session) also loads the user's permissions."""

    def get_user(self, user_id):
        User = get_user_model()
        user = User._default_manager.annotate(_permission_names=permission_names()).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return remember_permissions(user, user._permission_names)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the token, its user and the user's permissions in one query."""

    def authenticate_credentials(self, key):
        token = (
            Token.objects.select_related("user")
            .annotate(_permission_names=permission_names("user_id"))
            .filter(key=key)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (remember_permissions(token.user, token._permission_names), token)
