"""Lean details: one record's representation without rebuilding its serializer on every request.

A ModelSerializer builds its fields anew for every instance it is given (a deep copy of the declared
fields, then ``build_field`` for every model field): for a single record that costs several times
more than representing it. ``represent_detail`` builds the serializer and its ``represent`` plan
(relations/core/api/lean.py, the lists' lean path) once and keeps them for later requests that
would build the same fields, then only gives them the current request.

What a serializer's fields and plan may depend on is in the cache key: the serializer class, the
user and the permissions they hold now (a person's personal details follow a permission), and what
URLs are built from (scheme, host, script prefix, format). The cache is per thread, since the
cached serializer carries the request it is serving, and holds at most ``PLANS`` entries.

``tests/test_api_detail_lean.py`` compares every detail with DRF's serializer output.
"""

import threading

from django.urls import get_script_prefix

from relations.core.api.lean import represent

PLANS = 64
_local = threading.local()


def _key(view) -> tuple:
    request = view.request
    user = request.user
    permissions = frozenset(user.get_all_permissions()) if user.is_authenticated else frozenset()
    return (
        view.get_serializer_class(),
        user.pk,
        user.is_superuser,
        permissions,
        request.scheme,
        request.get_host(),
        get_script_prefix(),
        view.format_kwarg,
        getattr(request, "versioning_scheme", None),
    )


def represent_detail(view, instance) -> dict:
    """``view.get_serializer(instance).data`` as a plain dict, with the serializer's plan built once per key."""
    plans = getattr(_local, "plans", None)
    if plans is None:
        plans = _local.plans = {}
    key = _key(view)
    plan = plans.get(key)
    if plan is None:
        serializer = view.get_serializer(instance)
        plan = (serializer, represent(serializer))
        if len(plans) >= PLANS:
            plans.clear()
        plans[key] = plan
    serializer, row = plan
    # The fields read the request from the root serializer's context while representing.
    serializer._context = view.get_serializer_context()
    serializer.instance = instance
    try:
        return row(instance)
    finally:
        serializer._context = {}
        serializer.instance = None
