"""Building blocks shared by the FilterSets of every app."""

import re
from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from relations.core.text import search_alternatives


class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter (NumberFilter accepts decimals)."""

    field_class = forms.IntegerField


def ordering_filter(*fields):
    """The ``ordering`` filter of a FilterSet, from (model field, URL parameter, label) triples.

    django-filter builds its descending labels with ``%`` at import time, which fixes them in
    English; here both directions stay lazy, so the sort menu follows the user's language.
    """
    labels = {}
    for field, param, label in fields:
        labels[field] = label
        labels[f"-{param}"] = format_lazy(_("{label} (descending)"), label=label)
    return django_filters.OrderingFilter(
        fields=[(field, param) for field, param, _label in fields], field_labels=labels, label=_("Sort by")
    )


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


# Tables with a SQLite trigram index on search_key, ``<table>_search`` (migration core 0006).
SQLITE_SEARCH_TABLES = ("contacts_contact", "contacts_organization")
_TRIGRAM_SAFE = re.compile(r"[a-z0-9~]{3,}")


def _sqlite_search_q(table: str, value) -> Q:
    """``search_key_q`` for a table with a SQLite trigram index, narrowed to the rows the index names.

    One look-up in the index for all the terms that have a single alternative of three or more
    characters (FTS5 intersects them: "society 0999" reads the few rows holding both, not the
    thousands holding "society"); shorter terms and terms with several spellings are matched on the
    table alone. The LIKE conditions stay on the table, so the records are the same as without the index.
    """
    condition = search_key_q(value)
    indexed = [alternatives[0] for alternatives in search_alternatives(value)
               if len(alternatives) == 1 and _TRIGRAM_SAFE.fullmatch(alternatives[0])]
    if indexed:
        # No ESCAPE clause (one would stop FTS5 from using its index): the terms hold no % or _.
        where = " AND ".join(["search_key LIKE %s"] * len(indexed))
        condition &= Q(pk__in=RawSQL(f'SELECT rowid FROM "{table}_search" WHERE {where}',
                                     tuple(f"%{term}%" for term in indexed)))
    return condition


def search_key_filter(queryset, value, field="search_key"):
    """Records whose stored search key holds every normalised term of ``value``.

    On SQLite, people and organizations are found through their trigram index (``_sqlite_search_q``);
    elsewhere ``search_key_q`` serves (PostgreSQL has its own trigram index on the same condition).
    """
    table = queryset.model._meta.db_table
    if field == "search_key" and table in SQLITE_SEARCH_TABLES and connections[queryset.db].vendor == "sqlite":
        return queryset.filter(_sqlite_search_q(table, value))
    return queryset.filter(search_key_q(value, field))


def _word_terms(value) -> list[tuple[str, ...]]:
    """Each query term as (prefix or exact-word) alternatives: "alsada" starts a word, "~sd~" is the word "sd"."""
    return [
        tuple(alt.strip("~") + ("" if alt.startswith("~") else ":*") for alt in alternatives)
        for alternatives in search_alternatives(value)
    ]


def words_regex_q(value) -> Q:
    """The portable form of ``words_filter``: a regular expression per alternative on the search key."""
    condition = Q()
    for term in _word_terms(value):
        condition &= reduce(or_, (
            Q(search_key__regex=rf"(^|[^a-z0-9]){alt[:-2]}" if alt.endswith(":*")
              else rf"(^|[^a-z0-9]){alt}([^a-z0-9]|$)")
            for alt in term
        ))
    return condition


def words_filter(queryset, value):
    """Records with a word of the search key starting with every normalised term of ``value``.

    Whole-word (prefix) search: "nurl" finds "Nurlan" but "urlan" finds nothing, unlike the
    substring ``search_key_filter``. On PostgreSQL it reads the stored, GIN-indexed
    ``search_vector`` column (migration contacts 0003: ``to_tsvector('simple', search_key)``);
    elsewhere a regular expression on the search key gives the same records.
    """
    terms = _word_terms(value)
    if not terms:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        tsquery = " & ".join("(" + " | ".join(term) + ")" for term in terms)
        table = queryset.model._meta.db_table
        return queryset.filter(
            RawSQL(f'"{table}"."search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)', (tsquery,),
                   output_field=BooleanField())
        )
    return queryset.filter(words_regex_q(value))


def text_q(value, fields) -> Q:
    """A condition: every whitespace-separated word of ``value`` occurs in one of ``fields``."""
    return reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields)) for word in value.split()), Q())


def text_filter(queryset, value, fields):
    """Records where every whitespace-separated word of ``value`` occurs in one of ``fields``."""
    return queryset.filter(text_q(value, fields))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LookupInput(forms.TextInput):
    """A record's id, which ``static/js/lookup.js`` turns into search-as-you-type.

    Without JavaScript it is a plain input for the record's number (the id in its page's
    address); with it, a text box suggests records from the JSON endpoint ``lookup_url_name``
    (``?q=``) and keeps the chosen id in the same form field. Rendering a form no longer
    lists every record, so a page's size no longer grows with the number of partners or events.
    ``selected`` is the record the form's value names (set by ``LookupChoiceField``): its name
    shows beside the input.
    """

    template_name = "core/widgets/lookup.html"

    def __init__(self, lookup_url_name: str, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8, **(attrs or {})})
        self.lookup_url_name = lookup_url_name
        self.selected = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = self.selected
        if selected is not None and str(selected.pk) == str(value):
            context["widget"]["selected_label"] = getattr(selected, "lookup_label", str(selected))
        context["widget"]["lookup_url"] = reverse(self.lookup_url_name)
        return context


class LookupChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField entered by id; remembers the record it found (one query) for the widget."""

    def to_python(self, value):
        record = super().to_python(value)
        if isinstance(self.widget, LookupInput):
            self.widget.selected = record
        return record


class LookupChoiceFilter(django_filters.ModelChoiceFilter):
    """A record filter by id (the API's contract) whose form input searches instead of listing every record.

    ``lookup`` names the URL of the JSON endpoint that suggests records (e.g. "contacts:organization_lookup").
    """

    field_class = LookupChoiceField

    def __init__(self, *args, lookup: str, **kwargs):
        kwargs.setdefault("widget", LookupInput(lookup))
        super().__init__(*args, **kwargs)
