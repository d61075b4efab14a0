"""Authentication that loads a user together with their permissions: one query, not three.

Django's ModelBackend loads the user, then on the first permission check the user's own
permissions, then the permissions of their groups: three queries before any page or API call
does its work. Here the user row comes with every permission name it holds (own or through a
group) as one aggregated column of the same query, put where ModelBackend keeps its cache
(``_perm_cache``), so permission checks run no query at all. DRF's token authentication gets the
same treatment: token, user and permissions in one query. Both queries are compiled once per
database and then run with the id or the key (``user_with_permissions``).

Superusers are left to ModelBackend (``User.has_perm`` answers True for them without asking).
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import router
from django.db.models import Aggregate, CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, Replace
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

# Joins the names in SQL and splits them again in Python. A comma could be part of a codename
# ("export,agreements.delete_agreement" would have granted agreements.delete_agreement), so the
# separator is the ASCII unit separator, and permission_names() replaces it in any name that holds
# one: splitting can only ever give back whole names.
SEPARATOR = "\x1f"
SEPARATOR_STAND_IN = "\ufffd"


class JoinedNames(Aggregate):
    """The values of a text column joined by SEPARATOR (SQLite and MySQL GROUP_CONCAT, PostgreSQL STRING_AGG)."""

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
        .annotate(names=JoinedNames(Replace(
            Concat(F("content_type__app_label"), Value("."), F("codename"), output_field=CharField()),
            Value(SEPARATOR), Value(SEPARATOR_STAND_IN),
        )))
        .values("names")[:1],
        output_field=CharField(),
    )


def remember_permissions(user, names: str | None):
    """Fill ModelBackend's permission cache of ``user`` from the aggregated ``names`` (None: no permission)."""
    if user is None or user.is_superuser:
        return user
    user._perm_cache = set(names.split(SEPARATOR)) if names else set()
    return user


# The two look-ups every request makes are compiled to SQL once per database (building and compiling
# the ORM query with its nested subqueries costs more than running it), then run with the id or key.
_USER_ID = -1_739_124_601  # stands for the user id while compiling (within 32 bits)
_TOKEN_KEY = "relations-auth-token-key-placeholder"


@functools.cache
def _compiled(alias: str, by: str):
    """(sql, params, index of the looked-up value in params) of the user-with-permissions query ``by`` id or token."""
    users = get_user_model()._default_manager.db_manager(alias).annotate(_permission_names=permission_names())
    placeholder = _USER_ID if by == "id" else _TOKEN_KEY
    users = users.filter(pk=placeholder) if by == "id" else users.filter(auth_token__key=placeholder)
    sql, params = users.query.get_compiler(alias).as_sql()
    positions = [i for i, param in enumerate(params) if param == placeholder]
    if len(positions) != 1:
        raise ImproperlyConfigured(f"cannot compile the user look-up by {by}: {params!r}")
    return sql, tuple(params), positions[0]


def user_with_permissions(*, user_id=None, token_key=None):
    """The user with that id (or whose API token is ``token_key``) and every permission they hold: one query."""
    by, value = ("id", user_id) if token_key is None else ("token", token_key)
    User = get_user_model()
    alias = router.db_for_read(User)
    sql, params, position = _compiled(alias, by)
    params = params[:position] + (value,) + params[position + 1 :]
    user = next(iter(User._default_manager.db_manager(alias).raw(sql, params)), None)
    return remember_permissions(user, getattr(user, "_permission_names", None))


class PermissionsModelBackend(ModelBackend):
    """ModelBackend whose ``get_user`` (every request with a session) also loads the user's permissions."""

    def get_user(self, user_id):
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = user_with_permissions(user_id=user_id)
        return user if self.user_can_authenticate(user) else None


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the token's user and the user's permissions in one query."""

    def authenticate_credentials(self, key):
        user = user_with_permissions(token_key=key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token(key=key, user=user)
        token._state.adding, token._state.db = False, user._state.db
        return (user, token)
