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

``tests/test_api_lean.py`` compares both paths on every resource and times them.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

# Replaced by each record's id in the URL template; digits, so any id converter accepts it.
URL_SENTINEL = "9081726354"
_SKIP = object()
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


def _identity_url(field):
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
    prefix, suffix = template.split(URL_SENTINEL)
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
