"""Building blocks shared by the FilterSets of every app."""

from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.db.models import Q

from relations.core.text import search_alternatives


class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter (NumberFilter accepts decimals)."""

    field_class = forms.IntegerField


def search_key_q(value, field="search_key") -> Q:
    """A condition: the stored search key (``field``) holds every normalised term of ``value``.

    The key is already lower-cased ASCII, so a case-sensitive ``contains`` is exact and lets
    PostgreSQL use a trigram index. An empty query is an empty (always true) condition.
    """
    return reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{field}__contains": alternative}) for alternative in alternatives))
            for alternatives in search_alternatives(value)
        ),
        Q(),
    )


def search_key_filter(queryset, value, field="search_key"):
    """Records whose stored search key holds every normalised term of ``value``."""
    return queryset.filter(search_key_q(value, field))


def text_filter(queryset, value, fields):
    """Records where every whitespace-separated word of ``value`` occurs in one of ``fields``."""
    words = value.split()
    for word in words:
        queryset = queryset.filter(reduce(lambda a, b: a | b, (Q(**{f"{f}__icontains": word}) for f in fields)))
    return queryset


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
