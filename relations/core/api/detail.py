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

from django.core.exceptions import ImproperlyConfigured
from django.db import router
from django.db.models import Prefetch
from django.db.models.fields.related_descriptors import ManyToManyDescriptor, ReverseManyToOneDescriptor
from django.db.models.query import get_related_populators
from django.urls import get_script_prefix
from rest_framework.generics import GenericAPIView
from rest_framework.settings import api_settings

from relations.core.api import statements
from relations.core.api.lean import represent

PLANS = 64
_local = threading.local()


def plan_key(view) -> tuple:
    """What a serializer's fields and plan may depend on (see the module's docstring)."""
    request = view.request
    user = request.user
    # A superuser holds every permission (is_superuser is in the key): no need to load them all.
    permissions = frozenset(user.get_all_permissions()) if user.is_authenticated and not user.is_superuser else frozenset()
    return (
        view.get_serializer_class(),
        user.pk,
        user.is_superuser,
        permissions,
        request.scheme,
        request.get_host(),
        get_script_prefix(),
        view.format_kwarg,
        # DRF keeps ?format= in the URLs it builds (rest_framework.reverse.preserve_builtin_query_params).
        request.query_params.get(api_settings.URL_FORMAT_OVERRIDE) if api_settings.URL_FORMAT_OVERRIDE else None,
        getattr(request, "versioning_scheme", None),
    )


def kept_plan(view, kind: str, build):
    """``build()`` (a serializer and its plan) once per thread, ``kind`` and ``plan_key(view)``; at most
    ``PLANS`` kept of each kind. Shared by details (here) and list pages (base.page_plan)."""
    plans = _local.__dict__.setdefault(kind, {})
    key = plan_key(view)
    if key not in plans:
        if len(plans) >= PLANS:
            plans.clear()
        plans[key] = build()
    return plans[key]


def _detail_plan(view, instance):
    serializer = view.get_serializer(instance)
    return serializer, represent(serializer)


def represent_detail(view, instance) -> dict:
    """``view.get_serializer(instance).data`` as a plain dict, with the serializer's plan built once per key."""
    serializer, row = kept_plan(view, "detail_plans", lambda: _detail_plan(view, instance))
    # The fields read the request from the root serializer's context while representing.
    serializer._context = view.get_serializer_context()
    serializer.instance = instance
    try:
        return row(instance)
    finally:
        serializer._context = {}
        serializer.instance = None


# ---------------------------------------------------------------- the record and its nested lists

# Stands for the record's id while compiling (within 32 bits, so every integer column takes it).
_PK = -1_739_124_602
# Ids the compiled queries take as they are: digits that fit in any database's integer.
_MAX_DIGITS = 15


class _Compiled:
    """``queryset`` filtered with ``lookup`` equal to one id, compiled to SQL once; called with an id, its rows
    as model instances (with their ``select_related`` records), as iterating the queryset would give them."""

    def __init__(self, queryset, lookup: str, alias: str):
        compiler = queryset.filter(**{lookup: _PK}).query.get_compiler(alias)
        self.sql, params = compiler.as_sql()
        self.position = [i for i, param in enumerate(params) if param == _PK]
        if len(self.position) != 1 or compiler.annotation_col_map or queryset._known_related_objects:
            raise ImproperlyConfigured(f"cannot compile {queryset.model.__name__} by {lookup}: {params!r}")
        self.params, self.position, self.alias, self.compiler = list(params), self.position[0], alias, compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.columns, self.init_list = slice(start, end), [column[0].target.attname for column in select[start:end]]
        self.populators = get_related_populators(klass_info, select, alias)

    def __call__(self, pk: int) -> list:
        params = self.params.copy()
        params[self.position] = pk
        rows = statements.fetchall(self.alias, self.sql, params)
        records = []
        for row in self.compiler.results_iter(results=[rows]):
            record = self.model.from_db(self.alias, self.init_list, row[self.columns])
            for populator in self.populators:
                populator.populate(row, record)
            records.append(record)
        return records


class _Nested:
    """One prefetched list of the record (a reverse foreign key or a many-to-many), compiled once."""

    def __init__(self, model, lookup: Prefetch, alias: str):
        descriptor = getattr(model, lookup.prefetch_through)
        if isinstance(descriptor, ManyToManyDescriptor):
            field = descriptor.field
            self.reverse_fk = None
            related, by = (field.model, field.name) if descriptor.reverse else (field.related_model, field.related_query_name())
            self.cache_name = field.related_query_name() if descriptor.reverse else field.name
        elif isinstance(descriptor, ReverseManyToOneDescriptor):
            self.reverse_fk = descriptor.field
            related, by = descriptor.field.model, descriptor.field.name
            self.cache_name = descriptor.field.remote_field.cache_name
        else:
            raise ImproperlyConfigured(f"cannot compile the prefetch {lookup.prefetch_through!r} of {model.__name__}")
        queryset = lookup.queryset if lookup.queryset is not None else related._default_manager.all()
        self.fetch = _Compiled(queryset, by, alias)
        self.name, self.to_attr = lookup.prefetch_through, lookup.to_attr

    def attach(self, record) -> None:
        rows = self.fetch(record.pk)
        if self.reverse_fk is not None:  # as Django's prefetch does: each row knows its record
            for row in rows:
                self.reverse_fk.set_cached_value(row, record)
        if self.to_attr:
            setattr(record, self.to_attr, rows)
            return
        queryset = getattr(record, self.name).all()
        queryset._result_cache, queryset._prefetch_done = rows, True
        if not hasattr(record, "_prefetched_objects_cache"):
            record._prefetched_objects_cache = {}
        record._prefetched_objects_cache[self.cache_name] = queryset


class CompiledDetail:
    """A viewset queryset's record by id with its prefetched lists: each query compiled once, not per request.

    Only plain prefetches (one level, reverse foreign key or many-to-many) are supported; anything else
    raises ImproperlyConfigured when the plan is built, and the caller keeps Django's way.
    """

    def __init__(self, queryset, alias: str):
        lookups = [lookup if isinstance(lookup, Prefetch) else Prefetch(lookup) for lookup in queryset._prefetch_related_lookups]
        if any("__" in lookup.prefetch_through for lookup in lookups):
            raise ImproperlyConfigured("nested prefetches are not compiled")
        self.record = _Compiled(queryset.prefetch_related(None), "pk", alias)
        self.nested = [_Nested(queryset.model, lookup, alias) for lookup in lookups]

    def __call__(self, pk: int):
        records = self.record(pk)
        if not records:
            return None
        record = records[0]
        for nested in self.nested:
            nested.attach(record)
        return record


def compiled_pk(view):
    """The id in the URL if the compiled detail can take it as it is (digits of an integer primary key), else None."""
    value = view.kwargs.get(view.lookup_url_kwarg or view.lookup_field)
    if view.lookup_field != "pk" or not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    return int(value) if len(value) <= _MAX_DIGITS else None


def fetch_detail(view):
    """The view's record with its nested lists through a CompiledDetail kept per thread, or NOT_COMPILED when
    this view or this id cannot take that way (the caller then uses DRF's get_object)."""
    pk = compiled_pk(view)
    queryset = view.queryset
    if pk is None or queryset is None or type(view).get_queryset is not GenericAPIView.get_queryset:
        return NOT_COMPILED
    if queryset.model._meta.pk.get_internal_type() not in ("AutoField", "BigAutoField"):
        return NOT_COMPILED
    alias = router.db_for_read(queryset.model)
    details = getattr(_local, "details", None)
    if details is None:
        details = _local.details = {}
    key = (type(view), alias)
    detail = details.get(key)
    if detail is None:
        try:
            detail = CompiledDetail(queryset, alias)
        except ImproperlyConfigured:
            detail = NOT_COMPILED
        details[key] = detail
    return NOT_COMPILED if detail is NOT_COMPILED else detail(pk)


NOT_COMPILED = object()
