"""Lean list serialization: the same JSON as the serializers, without DRF's per-field work on every row.

DRF serializes each row by asking every field to find its value (``get_attribute``: a walk over the
dotted source, callables, defaults) and then to convert it (``to_representation``). Most of our
fields are plain model columns whose value needs no conversion at all, and every row repeats the
same decisions. ``represent(serializer)`` makes those decisions once per response: it reads the
serializer's own fields (so the personal-details variant of a person is kept) and returns a
function of one record that builds the row dict with

- a direct attribute read for concrete model columns of the plain field types (strings, integers,
  ISO dates, choices, foreign-key ids);
- one URL template per response for the ``url`` identity field instead of a ``reverse()`` per row;
- the same plan, recursively, for nested lists (positions, participants, signatories);
- DRF's own ``get_attribute`` / ``to_representation`` for every other field, so anything not
  listed above is represented exactly as before.

``values_plan(serializer)`` goes further for API lists and CSV exports: no model instance at all.
The page's rows come from one ``values()`` query of exactly the columns the fields read, and all the
nested lists (positions; participants and topics; parties, signatories and areas) from one more
query: each relation's rows filtered by the page's ids, in one ``UNION ALL`` ordered by relation,
parent and each relation's own model ordering (in sort columns of its own), grouped in Python. A field it cannot read from columns
makes the plan ``None`` and the list falls back to ``represent`` over instances. Text and integer
columns are taken as the database returns them (``itemgetter``), each relation's rows get only its
own columns' converters, and a declared property's value is remembered by its columns' values.

``tests/test_api_lean.py`` compares every path with DRF's serializer on every resource and times them.
"""

import functools
from operator import itemgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router
from django.db.models import F, Lookup, OrderBy, Q, Value
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.functions import Cast
from django.db.models.query_utils import DeferredAttribute
from django_countries.serializer_fields import CountryField as CountrySerializerField
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from relations.core.api import statements
from relations.core.api.fields import RelatedNameField

# Replaced by each record's id in the URL template; digits, so any id converter accepts it.
URL_SENTINEL = "9081726354"
_SKIP = object()
_AS_IS = object()  # a converter: the column's value from the database is already its representation
_TEXT_COLUMNS = frozenset({"CharField", "TextField", "EmailField", "URLField", "SlugField"})
_INTEGER_COLUMNS = frozenset({
    "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
    "PositiveBigIntegerField", "PositiveSmallIntegerField", "AutoField", "BigAutoField", "SmallAutoField",
})
_PROPERTY_MEMO = 8192  # property values remembered per plan (see _value_of)
_TEXT_FIELDS = (serializers.CharField, serializers.EmailField, serializers.URLField, serializers.SlugField)


def _column(serializer, field):
    """The concrete model field a serializer field reads directly, or None."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or "." in field.source or field.source == "*":
        return None
    try:
        column = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None
    return column if column.concrete else None


def _drf(field):
    """DRF's own way for one field (Serializer.to_representation's loop body)."""

    def value(instance):
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)

    return value


def _url_template(field):
    """``(prefix, suffix)`` around a record's id in the identity field's URL, or None."""
    request = field.context.get("request")
    if (
        request is None
        or field.context.get("format")
        or field.lookup_field != "pk"
        or getattr(request, "versioning_scheme", None) is not None
    ):
        return None
    template = reverse(field.view_name, kwargs={field.lookup_url_kwarg: URL_SENTINEL}, request=request)
    if template.count(URL_SENTINEL) != 1:
        return None
    return tuple(template.split(URL_SENTINEL))


def _identity_url(field):
    if (template := _url_template(field)) is None:
        return None
    prefix, suffix = template
    return lambda instance: None if instance.pk is None else f"{prefix}{instance.pk}{suffix}"


def _getter(serializer, field):
    if isinstance(field, serializers.ListSerializer) and isinstance(field.child, serializers.Serializer):
        child, name = represent(field.child), field.source

        def rows(instance):
            related = getattr(instance, name)
            if related is None:
                return None
            return [child(item) for item in (related.all() if isinstance(related, models.Manager) else related)]

        return rows if "." not in name and name != "*" else _drf(field)
    if type(field) is serializers.HyperlinkedIdentityField:
        return _identity_url(field) or _drf(field)
    column = _column(serializer, field)
    if column is None:
        return _drf(field)
    name = column.attname
    kind = type(field)
    if kind in _TEXT_FIELDS and not column.is_relation:
        return lambda instance: None if (v := getattr(instance, name)) is None else (v if type(v) is str else str(v))
    if kind is serializers.IntegerField and not column.is_relation:
        return lambda instance: None if (v := getattr(instance, name)) is None else int(v)
    if (
        kind is serializers.DateField
        and getattr(field, "format", api_settings.DATE_FORMAT).lower() == "iso-8601"
        and not column.is_relation
    ):
        return lambda instance: None if not (v := getattr(instance, name)) else (v if isinstance(v, str) else v.isoformat())
    if kind is serializers.ChoiceField and not column.is_relation:
        convert = field.to_representation
        return lambda instance: None if (v := getattr(instance, name)) is None else convert(v)
    if kind is serializers.PrimaryKeyRelatedField and column.many_to_one and field.pk_field is None:
        return lambda instance: getattr(instance, name)
    return _drf(field)


def represent(serializer):
    """A function of one record returning the serializer's representation of it."""
    getters = [(field.field_name, _getter(serializer, field)) for field in serializer._readable_fields]

    def row(instance):
        data = {}
        for name, getter in getters:
            value = getter(instance)
            if value is not _SKIP:
                data[name] = value
        return data

    return row


class LeanListSerializer(serializers.ListSerializer):
    """A list (an API page, a CSV export) built with one ``represent`` plan for all its rows."""

    def to_representation(self, data):
        iterable = data.all() if isinstance(data, models.Manager) else data
        row = represent(self.child)
        return [row(item) for item in iterable]


# The values() path ------------------------------------------------------------------------------

_PROPERTY_COLUMNS: dict[tuple[type, str], tuple[str, ...]] = {}


def property_columns(model, **properties):
    """Declare the columns each named property of ``model`` reads (``display_name=("honorific", ...)``),
    so that a list computes it from a values() row with the model's own property. The property must be a
    function of those columns alone (not of the language, the time or other records): its values are
    remembered by the columns' values, across pages."""
    for name, columns in properties.items():
        _PROPERTY_COLUMNS[model, name] = tuple(columns)
    _row_class.cache_clear()


@functools.cache
def _row_class(model, columns: tuple[str, ...]):
    """A slotted stand-in for ``model`` holding ``columns``, with ``pk`` and the model's declared properties."""
    pk = model._meta.pk.attname
    namespace = {"__slots__": columns, "pk": property(lambda self: getattr(self, pk))}
    namespace.update({name: getattr(model, name) for (owner, name) in _PROPERTY_COLUMNS if owner is model})
    return type(f"{model.__name__}Columns", (), namespace)


def _stand_in(model, columns, prefix: str):
    """``(lookups, function of a values() row returning a stand-in of model)``; the lookups are the
    columns (and the pk) with ``prefix``, the path from the row's model to ``model``."""
    columns = tuple(dict.fromkeys([*columns, model._meta.pk.attname]))
    pairs = tuple((column, prefix + column) for column in columns)
    cls = _row_class(model, columns)

    def build(row):
        stand_in = cls()
        for column, key in pairs:
            setattr(stand_in, column, row[key])
        return stand_in

    return [key for _, key in pairs], build


def _converter(field, column):
    """The representation by ``field`` of a column's value as values() returns it, or None if unsure."""
    if isinstance(field, CountrySerializerField):
        # takes the stored code as it takes the model's Country; a code gives the same every time
        if field.name_only or field.country_dict:
            return field.to_representation  # a country's name: in the request's language
        codes = {}

        def code(value):
            if value not in codes:
                codes[value] = field.to_representation(value)
            return codes[value]

        return code
    if not (column.concrete and not column.is_relation and column.descriptor_class is DeferredAttribute):
        return None  # a descriptor (a file, say) gives the model's attribute another type
    kind, stored = type(field), column.get_internal_type()
    # Text and integer columns come back from both databases as str and int (values() applies no
    # converter to them): the value is the representation, read with a C-level itemgetter.
    if kind.to_representation is serializers.CharField.to_representation:
        return _AS_IS if stored in _TEXT_COLUMNS else (lambda v: v if type(v) is str else str(v))
    if kind is serializers.IntegerField:
        return _AS_IS if stored in _INTEGER_COLUMNS else int
    if kind is serializers.ChoiceField and stored in _TEXT_COLUMNS and all(
        type(value) is str and key == value for key, value in field.choice_strings_to_values.items()
    ):
        return _AS_IS  # str choices: ChoiceField.to_representation gives the stored string back
    if kind is getattr(serializers, "BigIntegerField", None):  # an id; a string if COERCE_BIGINT_TO_STRING
        return field.to_representation
    if kind is serializers.DateField and getattr(field, "format", api_settings.DATE_FORMAT).lower() == "iso-8601":
        return lambda v: v if isinstance(v, str) else v.isoformat()
    if kind in (serializers.ChoiceField, serializers.BooleanField):
        return field.to_representation
    return None


def _value_of(field, model, name: str, prefix: str):
    """``(lookups, getter)`` for a column or declared property ``name`` of ``model``, converted by ``field``."""
    try:
        column = model._meta.get_field(name)
    except FieldDoesNotExist:
        columns = _PROPERTY_COLUMNS.get((model, name))
        if columns is None or type(field).to_representation is not serializers.CharField.to_representation:
            return None
        lookups, build = _stand_in(model, columns, prefix)
        read = getattr(model, name).fget
        # The property is a function of the columns declared for it (property_columns' contract): the
        # same people show on page after page, so their names are remembered by those columns' values.
        memo, columns_of = {}, itemgetter(*lookups)

        def value(row):
            key = columns_of(row)
            if (v := memo.get(key, _SKIP)) is _SKIP:
                v = read(build(row))
                v = None if v is None else (v if type(v) is str else str(v))
                if len(memo) >= _PROPERTY_MEMO:
                    memo.clear()
                memo[key] = v
            return v

        return lookups, value
    convert = _converter(field, column)
    if convert is None:
        return None
    key = prefix + column.attname
    if convert is _AS_IS:
        return [key], itemgetter(key)
    return [key], lambda row: None if (v := row[key]) is None else convert(v)


def _value(serializer, field, model):
    """``(lookups, getter of a values() row)`` for one field that is not a nested list, or None."""
    if type(field) is serializers.HyperlinkedIdentityField:
        template, key = _url_template(field), model._meta.pk.attname
        if template is None:
            return None
        prefix, suffix = template
        return [key], lambda row: None if (pk := row[key]) is None else f"{prefix}{pk}{suffix}"
    if type(field) is serializers.SerializerMethodField:
        # the method gets a stand-in with the columns the serializer's Meta declares for it
        columns = getattr(serializer.Meta, "lean_columns", {}).get(field.field_name)
        if not columns:
            return None
        lookups, build = _stand_in(model, columns, "")
        method = getattr(serializer, field.method_name)
        return lookups, lambda row: method(build(row))
    if field.source == "*" or len(field.source_attrs) > 2:
        return None
    first = field.source_attrs[0]
    try:
        link = model._meta.get_field(first)
    except FieldDoesNotExist:
        link = None
    if len(field.source_attrs) == 2:
        # A related record's column or property ("organization.name", "contact.display_name"), null
        # without a related record, as RelatedNameField gives it.
        if not isinstance(field, RelatedNameField) or link is None or not link.concrete:
            return None
        if not (link.many_to_one or link.one_to_one):
            return None
        got = _value_of(field, link.related_model, field.source_attrs[1], first + "__")
        if got is None:
            return None
        lookups, value = got
        key = link.attname
        return [key, *lookups], lambda row: None if row[key] is None else value(row)
    if link is not None and link.many_to_one and link.concrete:
        if type(field) is not serializers.PrimaryKeyRelatedField or field.pk_field is not None:
            return None
        return [link.attname], itemgetter(link.attname)
    return _value_of(field, model, first, "")


class _Relation:
    """A nested list: the model of its rows, their parent's id (lookup), their lookups, order and item."""

    def __init__(self, name, model, parent, lookups, ordering, item):
        self.name, self.model, self.parent, self.lookups, self.ordering, self.item = (
            name, model, parent, lookups, ordering, item
        )


def _ordering(model, prefix: str, parent: str | None):
    """``model``'s Meta.ordering, then pk, as expressions prefixed with ``prefix`` (the path to ``model``);
    a term for ``parent`` is left out (the same on a whole group); None for an order this cannot copy."""
    terms = []
    for term in [*model._meta.ordering, "pk"]:
        if isinstance(term, str):
            name = term.removeprefix("-")
            if name == parent:
                continue
            owner, *path = name.split("__")[::-1]
            target = model
            for part in reversed(path):
                target = target._meta.get_field(part).related_model
            if owner != "pk" and target._meta.get_field(owner).is_relation:
                return None  # by the related model's own ordering
            expression = F(prefix + name)
            terms.append(expression.desc() if term.startswith("-") else expression.asc())
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            terms.append(OrderBy(
                F(prefix + term.expression.name), descending=term.descending,
                nulls_first=term.nulls_first, nulls_last=term.nulls_last,
            ))
        else:
            return None
    return terms


def _relation(field, model):
    """A ``_Relation`` for a nested serializer or a many-related field over a reverse foreign key or a
    many-to-many field, or None."""
    if "." in field.source or field.source == "*":
        return None
    try:
        link = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None
    if isinstance(field, serializers.ListSerializer):
        child = field.child
        if not (link.one_to_many and isinstance(child, serializers.ModelSerializer)):
            return None
        if child.Meta.model is not link.related_model:
            return None
        plan = _row_plan(child, link.related_model, None)
        ordering = _ordering(link.related_model, "", link.field.name)
        if plan is None or ordering is None:
            return None
        lookups, getters = plan
        return _Relation(field.field_name, link.related_model, link.field.attname, lookups, ordering, _assemble(getters))
    child = field.child_relation
    if type(child) is serializers.SlugRelatedField:
        column = child.slug_field
    elif type(child) is serializers.PrimaryKeyRelatedField and child.pk_field is None:
        column = "pk"
    else:
        column = getattr(child, "lean_column", None)  # a related field saying which column it represents
        if column is None:
            return None
    if link.one_to_many:
        rows_model, parent, prefix = link.related_model, link.field.attname, ""
        ordering = _ordering(rows_model, "", link.field.name)
    elif link.many_to_many and link.concrete and link.remote_field.through._meta.auto_created:
        rows_model = link.remote_field.through
        parent = rows_model._meta.get_field(link.m2m_field_name()).attname
        prefix = link.m2m_reverse_field_name() + "__"
        ordering = _ordering(link.related_model, prefix, None)
    else:
        return None
    if ordering is None:
        return None
    key = prefix + (link.related_model._meta.pk.attname if column == "pk" else column)
    return _Relation(field.field_name, rows_model, parent, [key], ordering, itemgetter(key))


def _assemble(getters):
    """A function of a values() row returning the dict of every ``(name, getter)``'s value, in order.

    It is written as one dict display and compiled (as ``dataclasses`` writes its ``__init__``): a
    getter that is an ``itemgetter`` of one key is read in place (``row[key]``), any other is called.
    Built once per plan, it runs for every row and every nested item of every page. Names and keys
    are field names and lookups, written as literals (``repr``)."""
    namespace, items = {}, []
    for number, (name, getter) in enumerate(getters):
        key = _item_key(getter)
        if key is None:
            namespace[f"get{number}"] = getter
            items.append(f"{name!r}: get{number}(row)")
        else:
            items.append(f"{name!r}: row[{key!r}]")
    exec(f"def assemble(row):\n    return {{{', '.join(items)}}}\n", namespace)
    return namespace["assemble"]


def _item_key(getter) -> str | None:
    """The key of ``getter`` if it is an ``itemgetter`` of one string key, else None."""
    if type(getter) is not itemgetter:
        return None
    _cls, keys = getter.__reduce__()
    return keys[0] if len(keys) == 1 and type(keys[0]) is str else None


def _row_plan(serializer, model, relations: list | None):
    """``(lookups, [(name, getter)])`` for a serializer's readable fields, or None. Nested lists are
    appended to ``relations`` (their getter reads the row's key of their name); with None, none may be."""
    lookups, getters = [], []
    for field in serializer._readable_fields:
        if isinstance(field, serializers.ListSerializer | serializers.ManyRelatedField):
            relation = None if relations is None else _relation(field, model)
            if relation is None:
                return None
            relations.append(relation)
            getters.append((field.field_name, itemgetter(field.field_name)))
            continue
        if isinstance(field, serializers.BaseSerializer):
            return None
        got = _value(serializer, field, model)
        if got is None:
            return None
        field_lookups, getter = got
        lookups += [lookup for lookup in field_lookups if lookup not in lookups]
        getters.append((field.field_name, getter))
    return lookups, getters


def _typed_null(model, lookup: str):
    """NULL of the type of ``lookup`` on ``model``: a UNION ALL branch's value for another branch's column."""
    *path, name = lookup.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    field = model._meta.get_field(name) if name != "pk" else model._meta.pk
    if field.is_relation:
        field = field.target_field
    if isinstance(field, models.AutoField | models.BigAutoField | models.IntegerField):
        output = models.BigIntegerField()
    else:
        output = field.__class__()
    return Cast(Value(None), output_field=output)


def _column_name(model, lookup: str) -> str:
    """``lookup`` on ``model`` spelt one way for each column: ``pk`` as the primary key's name, and a
    trailing ``__id`` or ``__pk`` of a foreign key as its own column (``contact__pk`` is ``contact_id``)."""
    *path, name = lookup.split("__")
    owner, link = model, None  # the model ``name`` belongs to, and the relation that led there
    for part in path:
        link = owner._meta.get_field(part)
        owner = link.related_model
    if name == "pk":
        name = owner._meta.pk.name
    if link is not None and link.many_to_one and name == owner._meta.pk.name == link.target_field.name:
        return "__".join([*path[:-1], link.attname])
    return "__".join([*path, name])


# Stand for the page's ids while the nested lists' query is compiled (within 32 bits: any integer column).
_ID = -1_739_120_000
_COMPILED = 16  # compiled queries kept per plan (one per page size or CSV chunk size seen)


class _AnyOf(Lookup):
    """``column = ANY(%s)``: the ids as one array parameter, on PostgreSQL, where ``IN`` takes one
    parameter per id. psycopg keeps its parsing of a query only up to 50 parameters: the nested rows
    of a page of 50 events (two relations, 100 ids) were parsed again on every request (0.4 ms).
    With one parameter per relation it is parsed once, and one prepared statement serves every page
    size."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"{lhs} = ANY(%s)", (*params, self.rhs)


class ValuesPlan:
    """A serializer's list representation from values() queries (see the module's doc)."""

    def __init__(self, model, lookups, getters, relations):
        self.model, self.getters, self.relations = model, getters, relations
        self.pk = model._meta.pk.attname
        self.lookups = lookups if self.pk in lookups else [*lookups, self.pk]

    def queryset(self, queryset):
        """The list's (filtered, ordered) queryset as values() rows of exactly the columns needed."""
        return queryset.prefetch_related(None).values(*self.lookups)

    @functools.cached_property
    def _branches(self):
        """``(slots, querysets, order)``: each relation's query, built once, to be filtered by the page's
        ids, and the order of their UNION ALL. Each relation has its own value columns and, when there are
        several, its own sort columns (its model's ordering), NULL in the other relations' rows; the union
        is ordered by relation, parent, then every relation's sort columns in turn."""
        slots, start = [], 0
        for relation in self.relations:
            slots.append(range(start, start + len(relation.lookups)))
            start += len(relation.lookups)
        several = len(self.relations) > 1
        # With several relations, each one's sort terms: a value column it already has, else a sort
        # column of its own ``(column, lookup)``; a term repeating an earlier one (its pk spelt twice) is
        # left out.
        sorts, order = [], ["b", "p"]
        for number, (relation, relation_slots) in enumerate(zip(self.relations, slots)):
            own = {
                _column_name(relation.model, lookup): f"c{slot}" for lookup, slot in zip(relation.lookups, relation_slots)
            }
            seen, extra = set(), []
            for index, term in enumerate(relation.ordering if several else ()):
                name = _column_name(relation.model, term.expression.name)
                if name in seen:
                    continue
                seen.add(name)
                if name not in own:
                    own[name] = f"s{number}_{index}"
                    extra.append((own[name], term.expression.name))
                order.append(OrderBy(
                    F(own[name]), descending=term.descending, nulls_first=term.nulls_first, nulls_last=term.nulls_last,
                ))
            sorts.append(extra)
        branches = []
        for number, relation in enumerate(self.relations):
            columns = {"b": Value(number), "p": F(relation.parent)}
            for other, other_slots in zip(self.relations, slots):
                for lookup, slot in zip(other.lookups, other_slots):
                    columns[f"c{slot}"] = F(lookup) if other is relation else _typed_null(other.model, lookup)
            for other, extra in zip(self.relations, sorts):
                for column, lookup in extra:
                    columns[column] = F(lookup) if other is relation else _typed_null(other.model, lookup)
            branches.append(relation.model._base_manager.order_by().annotate(**columns).values_list(*columns))
        return slots, branches, order if several else self.relations[0].ordering

    def _query(self, ids, array: bool = False):
        """The queryset of the nested lists' rows of the records ``ids`` (with ``array``, as one parameter)."""
        slots, branches, order = self._branches
        branches = [
            branch.filter(_AnyOf(F(relation.parent), ids) if array else Q(**{f"{relation.parent}__in": ids}))
            for relation, branch in zip(self.relations, branches)
        ]
        query = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
        return query.order_by(*order)

    def _compiled(self, alias: str, count: int):
        """``(sql, params, [(param index, id index)], converters)`` of ``_query`` for ``count`` ids, or None if
        the ids cannot be placed; an id index of None takes the whole list of ids (an array, on PostgreSQL).
        Compiled once per database and, but on PostgreSQL, count (a page size, a CSV chunk).
        ``converters[n]`` are relation n's: ``[(column index, (functions, expression))]``."""
        cache = self.__dict__.setdefault("_sql", {})
        array = connections[alias].vendor == "postgresql"
        key = (alias, None if array else count)
        if key not in cache:
            if len(cache) >= _COMPILED:
                cache.clear()
            if array:
                marker = [_ID]
                sql, params = self._query(marker, array=True).query.get_compiler(alias).as_sql()
                places = [(i, None) for i, param in enumerate(params) if param is marker]
                fits = len(places) == len(self.relations)
            else:
                stand_ins = {_ID - index: index for index in range(count)}
                sql, params = self._query(list(stand_ins)).query.get_compiler(alias).as_sql()
                places = [(i, stand_ins[param]) for i, param in enumerate(params) if param in stand_ins]
                fits = len(places) == count * len(self.relations)
            cache[key] = (sql, list(params), places, self._converters(alias)) if fits else None
        return cache[key]

    def _converters(self, alias: str) -> list[list]:
        """For each relation, the converters of the columns its rows fill: the parent and its own values
        (not the relation's number nor the sort columns), as iterating its own query would apply them.
        The union's converters would come from its first branch alone, where the other relations'
        columns are typed NULLs, and would run on every row for every column. Found once per database."""
        known = self.__dict__.setdefault("_converters_of", {})
        if alias in known:
            return known[alias]
        slots, branches, _order = self._branches
        converters = known[alias] = []
        for relation, slot, branch in zip(self.relations, slots, branches):
            compiler = branch.filter(**{f"{relation.parent}__in": [_ID]}).query.get_compiler(alias)
            compiler.setup_query()
            read = {1, *range(2 + slot.start, 2 + slot.stop)}
            found = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
            converters.append([(index, pair) for index, pair in found.items() if index in read])
        return converters

    def _fetch(self, alias: str, ids) -> tuple[list, list | None]:
        """The nested lists' rows of ``ids`` and each relation's converters (None: already applied)."""
        compiled = self._compiled(alias, len(ids))
        if compiled is None:
            return list(self._query(ids).using(alias)), None
        sql, params, places, converters = compiled
        params = params.copy()
        for place, index in places:
            params[place] = ids if index is None else ids[index]
        return statements.fetchall(alias, sql, params), converters

    def _nested(self, ids) -> list[dict]:
        """For each relation, ``{parent id: [items]}``; one query for all: each relation's rows in
        its own columns (NULL in the others'), in its model's order within each parent."""
        groups = [{} for _ in self.relations]
        if not ids or not self.relations:
            return groups
        alias = router.db_for_read(self.relations[0].model)
        rows, converters = self._fetch(alias, ids)
        connection = connections[alias]
        readers = [
            (relation.item, relation.lookups, 2 + slot.start, 2 + slot.stop, group, converters and converters[number])
            for number, (relation, slot, group) in enumerate(zip(self.relations, self._branches[0], groups))
        ]
        for row in rows:
            item, lookups, start, stop, group, convert = readers[row[0]]
            if convert:
                row = list(row)
                for index, (functions, expression) in convert:
                    value = row[index]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[index] = value
            parent = row[1]
            if parent in group:
                group[parent].append(item(dict(zip(lookups, row[start:stop]))))
            else:
                group[parent] = [item(dict(zip(lookups, row[start:stop])))]
        return groups

    def rows(self, records) -> list[dict]:
        """The representations of values() rows (a page, a chunk of an export)."""
        records = list(records)
        groups = self._nested([record[self.pk] for record in records])
        row, pk = self._assembled, self.pk
        for record in records:
            for relation, group in zip(self.relations, groups):
                record[relation.name] = group.get(record[pk], [])
        return [row(record) for record in records]

    @functools.cached_property
    def _assembled(self):
        return _assemble(self.getters)

    def stream(self, queryset, chunk_size: int):
        """Every row of the list's queryset, fetched and represented ``chunk_size`` records at a time."""
        chunk = []
        for record in self.queryset(queryset).iterator(chunk_size=chunk_size):
            chunk.append(record)
            if len(chunk) == chunk_size:
                yield from self.rows(chunk)
                chunk = []
        if chunk:
            yield from self.rows(chunk)


def values_plan(serializer) -> ValuesPlan | None:
    """The values() plan of a ModelSerializer's list representation, or None (then ``represent`` serves)."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None:
        return None
    relations = []
    plan = _row_plan(serializer, model, relations)
    if plan is None:
        return None
    lookups, getters = plan
    return ValuesPlan(model, lookups, getters, relations)
