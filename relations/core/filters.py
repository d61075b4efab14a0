"""Building blocks shared by the FilterSets of every app."""

import copy
import re
from collections import OrderedDict
from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import translation
from django.utils.choices import BaseChoiceIterator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceIterator
from django_filters.filters import FilterMethod, QuerySetRequestMixin

from relations.core.text import search_alternatives


def _share(memo: dict, value) -> None:
    """Make ``copy.deepcopy(..., memo)`` keep ``value`` itself wherever it meets it."""
    if value is not None and not isinstance(value, BaseChoiceIterator):
        memo.setdefault(id(value), value)


class SharedChoicesFilters(OrderedDict):
    """A FilterSet's ``base_filters``, whose "deep copy" (one per FilterSet instance, made by
    django-filter's ``BaseFilterSet.__init__``) is a new filter object for each filter: its own
    attributes (``model`` and ``parent`` are set on it next), its own ``extra`` dict and its own method
    binding (a ``method=`` filter calls its FilterSet's method through ``parent``), without the field a
    base filter may have made (the API schema asks base filters for theirs). What a filter only reads is
    shared instead of copied for every request: the values in ``extra`` (some 250 country choices,
    widgets, labels; a record filter's queryset is cloned) and the ordering map. A field is made from
    them for each form (Django copies a widget given to a field), and no filter changes them while
    filtering.
    """

    def __deepcopy__(self, memo):
        copies = OrderedDict()
        for name, filter_ in self.items():
            new = copy.copy(filter_)
            new.extra = dict(filter_.extra)
            vars(new).pop("_field", None)
            # A record filter's queryset (in its attributes and in extra): a new, unevaluated one each
            # time, never the class's, whose results would otherwise stay cached in the process.
            own = vars(filter_).get("queryset")
            if isinstance(own, QuerySet):
                new.queryset = own.all()
            if isinstance(new.extra.get("queryset"), QuerySet):
                new.extra["queryset"] = new.queryset if new.extra["queryset"] is own else new.extra["queryset"].all()
            if isinstance(vars(filter_).get("filter"), FilterMethod):
                new.filter = FilterMethod(new)
            copies[name] = new
        return copies


class SharedChoicesFields(dict):
    """A filter form class's ``base_fields``: each form instance gets its own fields and widgets (as
    ``Form.__init__`` deep-copies them; ``LookupChoiceField`` sets its widget's ``selected`` per form)
    but shares the read-only choices behind them instead of copying every (code, name) pair.
    """

    def __deepcopy__(self, memo):
        for field in self.values():
            choices = getattr(field, "_choices", None)
            # django-filter's iterator points to its field, so the copy gets its own; the choices inside are shared.
            _share(memo, choices.choices if isinstance(choices, ChoiceIterator) else choices)
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


# The owners of a filter's ``field`` property whose field depends only on the filter and the model.
# Any other (``AllValuesFilter`` reads the database, a project's own ``field`` may read the request)
# makes its FilterSet build its form class for each instance, as django-filter does.
_STATIC_FIELD_OWNERS = (django_filters.Filter, QuerySetRequestMixin, django_filters.NumberFilter)

# (FilterSet class, model, language) -> its form class; bounded by the classes and LANGUAGES.
_form_classes: dict = {}


class FilterSet(django_filters.FilterSet):
    """The FilterSet every app's FilterSets subclass: cheap to build for each list request.

    django-filter deep-copies every filter (with its choices) for each instance, then builds a new
    form class from new fields, which each form instance deep-copies again. Here the form class is
    built once per FilterSet class, model and language (labels such as "Kind" are translated when
    a field is made; choices such as ``countries`` are read in the active language when listed or
    checked), and the copies of filters and fields share their read-only choices.

    A FilterSet whose form depends on the instance (an ``__init__`` that changes ``self.filters``, a
    filter whose queryset is a function of the request, a filter with its own ``field``) keeps
    django-filter's form class per instance.
    """

    @classmethod
    def get_filters(cls):
        return SharedChoicesFilters(super().get_filters())

    @classmethod
    def form_class_is_static(cls) -> bool:
        """Whether the form class depends only on the FilterSet class, the model and the language."""
        if cls.__init__ is not django_filters.FilterSet.__init__:
            return False
        for filter_ in cls.base_filters.values():
            if callable(getattr(filter_, "queryset", None)):
                return False
            owners = [klass for klass in type(filter_).__mro__ if "field" in vars(klass)]
            if any(owner not in _STATIC_FIELD_OWNERS for owner in owners):
                return False
        return True

    def get_form_class(self):
        model = self.queryset.model
        key = (type(self), model, translation.get_language())
        form_class = _form_classes.get(key)
        if form_class is None:
            if not self.form_class_is_static():
                return super().get_form_class()
            # From copies of the filters, so that no instance's filters hold the shared fields; and from
            # new fields: drf-spectacular (the API schema) reads ``field`` on the class's own filters,
            # which have no model, so the field it leaves there has no label ("Kind" in every language).
            filters = copy.deepcopy(self.base_filters)
            for filter_ in filters.values():
                filter_.model = model
                vars(filter_).pop("_field", None)
            form_class = type(
                f"{type(self).__name__}Form", (self._meta.form,), {name: f.field for name, f in filters.items()}
            )
            form_class.base_fields = SharedChoicesFields(form_class.base_fields)
            _form_classes[key] = form_class
        return form_class


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


class RememberedSelect(forms.Select):
    """A ``<select>`` whose HTML is rendered once per language, options, chosen value and attributes.

    The country menu of a list page has some 250 options; Django renders each through its template
    (13-20 ms a page). The options are the same from one request to the next, so the HTML is kept,
    keyed by everything it is made of: the language, the options' values and labels as listed now,
    the name, the chosen values and the attributes. A key costs one pass over the options.
    """

    _rendered: dict = {}
    KEEP = 256

    def render(self, name, value, attrs=None, renderer=None):
        key = (
            translation.get_language(),
            type(renderer),
            name,
            tuple(self.format_value(value)),
            tuple(sorted((k, str(v)) for k, v in self.build_attrs(self.attrs, attrs).items())),
            tuple((str(option), str(label)) for option, label in self.choices),
        )
        html = self._rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(self._rendered) >= self.KEEP:
                self._rendered.clear()
            self._rendered[key] = html
        return html


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
