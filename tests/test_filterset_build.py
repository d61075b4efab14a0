"""A FilterSet is cheap to build for each list request, and its forms stay those of one request.

Every list page and API list builds its FilterSet and validates its form, with or without query
parameters. django-filter deep-copied each filter (with some 250 countries), made new form fields
and a new form class, then the form deep-copied the fields and their choices again: about 2 ms of
a 12 ms API page. ``relations.core.filters.FilterSet`` builds the form class once per FilterSet,
model and language and shares the read-only choices between copies; these tests hold it to the
same forms, labels, choices and errors as before, per language and per request.
"""

from unittest import mock

import django_filters
from django import forms
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from relations.agreements.filtersets import AgreementFilterSet
from relations.contacts.filtersets import ContactFilterSet, OrganizationFilterSet
from relations.core.filters import FilterSet
from relations.core.filtersets import SourceFilterSet, TopicFilterSet
from relations.core.models import Topic
from relations.events.filtersets import EventFilterSet
from relations.events.models import Event
from tests.base import RelationsTestCase

FILTERSETS = (OrganizationFilterSet, ContactFilterSet, EventFilterSet, AgreementFilterSet, TopicFilterSet, SourceFilterSet)


def build(filterset_class, query=""):
    """A FilterSet as a list request builds it: bound to the query string, validated, filtered."""
    filterset = filterset_class(data=QueryDict(query), queryset=filterset_class._meta.model._default_manager.all())
    filterset.is_valid()
    filterset.qs
    return filterset


def country_names(filterset):
    return [str(name) for code, name in filterset.form.fields["country"].choices if code]


class ChoicesInEachLanguageTests(RelationsTestCase):
    """The form class is kept per language: names, their order and labels follow the active language."""

    def test_country_names_are_in_russian_after_an_english_request_and_back(self):
        for code, russia in (("en", "Russia"), ("ru", "Россия"), ("ar", "روسيا"), ("en", "Russia")):
            for filterset_class in (EventFilterSet, OrganizationFilterSet, ContactFilterSet):
                with self.subTest(code=code, filterset=filterset_class.__name__), translation.override(code):
                    names = country_names(build(filterset_class))
                    # names and their order as django-countries gives them in this language
                    self.assertEqual(names, [str(name) for _code, name in countries])
                    self.assertIn(russia, names)

    @mock.patch.dict("relations.core.filters._form_classes", clear=True)
    def test_generated_labels_are_translated_once_per_language(self):
        # "kind" has no label of its own: django-filter makes one from the model field, translated then;
        # even after the API schema made a field on the class's filter, which has no model to name it.
        self.assertEqual(self.client.get("/api/schema/").status_code, 200)
        self.assertTrue(hasattr(EventFilterSet.base_filters["kind"], "_field"))
        with translation.override("en"):
            english = build(EventFilterSet).form
        with translation.override("ru"):
            russian = build(EventFilterSet).form
            self.assertEqual(russian["kind"].label, str(Event._meta.get_field("kind").verbose_name).capitalize())
        with translation.override("en"):
            again = build(EventFilterSet).form
        self.assertEqual(english["kind"].label, "Kind")
        self.assertNotEqual(russian["kind"].label, "Kind")
        self.assertEqual(again["kind"].label, "Kind")
        # One form class per language, built once: that is what makes a FilterSet cheap.
        self.assertIs(type(again), type(english))
        self.assertIsNot(type(russian), type(english))

    def test_the_web_list_in_russian_after_english_lists_russian_names(self):
        self.client.force_login(self.viewer)
        for code, russia in (("en", ">Russia</option>"), ("ru", ">Россия</option>"), ("ar", ">روسيا</option>"),
                             ("en", ">Russia</option>")):
            with self.subTest(code=code):
                self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: code})
                self.assertContains(self.client.get(reverse("events:event_list")), russia)

    def test_api_errors_name_the_field_in_the_language_of_the_request(self):
        self.client.force_login(self.viewer)
        for code, text in (("en", "Select a valid choice"), ("ru", "Выберите корректный вариант"),
                           ("en", "Select a valid choice")):
            with self.subTest(code=code):
                response = self.client.get("/api/events/", {"country": "XX"}, headers={"accept-language": code})
                self.assertEqual(response.status_code, 400)
                self.assertIn(text, response.json()["country"][0])
        for query, field in (({"date_from": "bad"}, "date_from"), ({"topic": "999999"}, "topic"),
                             ({"participant": "abc"}, "participant")):
            with self.subTest(query=query):
                response = self.client.get("/api/events/", query)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(response.json()), [field])


class NothingLeaksBetweenRequestsTests(RelationsTestCase):
    """Two FilterSets share choices, never their filters, fields, widgets or data."""

    def test_the_chosen_record_of_one_form_does_not_show_on_the_next(self):
        chosen = build(EventFilterSet, f"participant={self.turkmen.pk}")
        plain = build(EventFilterSet)
        self.assertEqual(chosen.form.fields["participant"].widget.selected, self.turkmen)
        self.assertIsNone(plain.form.fields["participant"].widget.selected)
        self.assertIn("National Red Crescent Society of Turkmenistan</output>", str(chosen.form["participant"]))
        self.assertNotIn("</output>", str(plain.form["participant"]))
        # nor on the class the next forms are made from
        self.assertIsNone(type(plain.form).base_fields["participant"].widget.selected)
        self.assertIsNone(EventFilterSet.base_filters["participant"].extra["widget"].selected)

    def test_the_web_page_shows_the_chosen_record_only_when_asked(self):
        self.client.force_login(self.viewer)
        url = reverse("agreements:agreement_list")
        self.assertContains(self.client.get(url, {"party": self.turkmen.pk}), "Turkmenistan</output>")
        self.assertNotContains(self.client.get(url), "</output>")

    def test_each_filterset_has_its_own_filters_fields_widgets_and_data(self):
        first = build(EventFilterSet, "country=TM&city=ashgabat&date_from=bad")
        second = build(EventFilterSet, "kind=conference")
        self.assertEqual(set(first.errors), {"date_from"})
        self.assertEqual(dict(second.errors), {})
        self.assertEqual(first.form.cleaned_data["country"], "TM")
        self.assertEqual(second.form.cleaned_data["country"], "")
        self.assertEqual(list(second.qs), list(Event.objects.filter(kind="conference")))
        for name in EventFilterSet.base_filters:
            with self.subTest(name):
                self.assertIsNot(first.filters[name], second.filters[name])
                self.assertIsNot(first.filters[name].extra, second.filters[name].extra)
                self.assertIs(first.filters[name].parent, first)
                self.assertIs(second.filters[name].parent, second)
                self.assertIsNot(first.form.fields[name], second.form.fields[name])
                self.assertIsNot(first.form.fields[name].widget, second.form.fields[name].widget)
        # a form's choice iterator reads its own field
        field = first.form.fields["country"]
        self.assertIs(field.choices.field, field)
        # the record filters' querysets are copies, never the class's (which is never evaluated)
        self.assertIsNot(first.filters["topic"].queryset, EventFilterSet.base_filters["topic"].queryset)
        self.assertIsNot(first.form.fields["topic"].queryset, second.form.fields["topic"].queryset)

    def test_a_filter_depending_on_the_request_keeps_a_form_per_instance(self):
        def topics(request):
            return Topic.objects.filter(pk=request.topic.pk) if request else Topic.objects.none()

        class RequestFilterSet(FilterSet):
            topic = django_filters.ModelChoiceFilter(queryset=topics, field_name="topics")

            class Meta:
                model = Event
                fields = ["topic"]

        class DatabaseFilterSet(FilterSet):
            city = django_filters.AllValuesFilter()

            class Meta:
                model = Event
                fields = ["city"]

        self.assertTrue(all(filterset_class.form_class_is_static() for filterset_class in FILTERSETS))
        self.assertFalse(RequestFilterSet.form_class_is_static())
        self.assertFalse(DatabaseFilterSet.form_class_is_static())
        one, other = Topic.objects.all()[:2]
        forms_ = [RequestFilterSet(request=mock.Mock(topic=topic), queryset=Event.objects.all()).form for topic in (one, other)]
        self.assertEqual([list(form.fields["topic"].queryset) for form in forms_], [[one], [other]])
        before = DatabaseFilterSet(queryset=Event.objects.all()).form
        Event.objects.create(title="A meeting in a new city", kind=Event.Kind.CONFERENCE, city="Nowhere-on-Sea")
        after = DatabaseFilterSet(queryset=Event.objects.all()).form
        self.assertNotIn("Nowhere-on-Sea", dict(before.fields["city"].choices))
        self.assertIn("Nowhere-on-Sea", dict(after.fields["city"].choices))


class BuildCostTests(RelationsTestCase):
    """What a FilterSet costs, counted rather than timed: no new form fields, no copied choices."""

    def test_no_form_field_is_made_once_the_form_class_exists(self):
        for filterset_class in FILTERSETS:
            with self.subTest(filterset_class.__name__):
                build(filterset_class)  # the first request in this language makes the form class
                with mock.patch.object(forms.Field, "__init__", autospec=True, side_effect=forms.Field.__init__) as made:
                    build(filterset_class)
                    build(filterset_class, "search=red")
                # django-filter made one field per filter for each instance (22 for two events FilterSets).
                self.assertEqual(made.call_count, 0)

    def test_copies_share_the_choices_instead_of_copying_them(self):
        first, second = build(EventFilterSet), build(EventFilterSet, "kind=conference")
        for name in ("kind", "country", "ordering"):
            with self.subTest(name):
                choices = EventFilterSet.base_filters[name].extra["choices"]
                self.assertIs(first.filters[name].extra["choices"], choices)
                self.assertIs(second.filters[name].extra["choices"], choices)
                self.assertIs(first.form.fields[name].choices.choices, second.form.fields[name].choices.choices)


class RememberedCountryMenuTests(RelationsTestCase):
    """The country menus (some 250 options) are rendered once per language, value and attributes
    (``relations.core.filters.RememberedSelect``) and are the same HTML as Django's own select."""

    def setUp(self):
        super().setUp()
        from relations.core.filters import RememberedSelect

        RememberedSelect._rendered.clear()

    def render(self, filterset_class, query, language="en"):
        with translation.override(language):
            return str(build(filterset_class, query).form["country"])

    def test_the_same_html_as_djangos_select_in_each_language_and_for_each_value(self):
        for filterset_class in (EventFilterSet, OrganizationFilterSet, ContactFilterSet):
            for language, query in (("en", ""), ("en", "country=TM"), ("ru", "country=TM"), ("ar", "country=QA"),
                                    ("en", "country=QA"), ("en", "country=XX")):
                with self.subTest(filterset_class.__name__, language=language, query=query):
                    remembered = self.render(filterset_class, query, language)
                    again = self.render(filterset_class, query, language)
                    with mock.patch("relations.core.filters.RememberedSelect.render", forms.Select.render):
                        django = self.render(filterset_class, query, language)
                    self.assertEqual(remembered, django)
                    self.assertEqual(again, django)
        self.assertIn('<option value="TM" selected>', self.render(EventFilterSet, "country=TM"))
        self.assertNotIn("selected", self.render(EventFilterSet, "country=QA").split('value="TM"')[1].split(">")[0])
        self.assertIn("Туркменистан", self.render(EventFilterSet, "", "ru"))
        self.assertNotIn("Туркменистан", self.render(EventFilterSet, "", "en"))

    def test_rendered_once_then_remembered(self):
        with mock.patch.object(forms.Select, "render", autospec=True, side_effect=forms.Select.render) as rendered:
            for _ in range(3):
                self.render(ContactFilterSet, "country=TM")
            self.assertEqual(rendered.call_count, 1)
            self.render(ContactFilterSet, "country=QA")  # another value
            self.render(ContactFilterSet, "country=TM", "ru")  # another language
            self.assertEqual(rendered.call_count, 3)

    def test_the_list_pages_show_the_chosen_country_only_when_asked(self):
        self.client.force_login(self.viewer)
        for url_name in ("contacts:contact_list", "contacts:organization_list", "events:event_list"):
            with self.subTest(url_name):
                chosen = self.client.get(reverse(url_name), {"country": "TM"}).content.decode()
                plain = self.client.get(reverse(url_name)).content.decode()
                self.assertIn('<option value="TM" selected>', chosen)
                self.assertNotIn('<option value="TM" selected>', plain)
                self.assertIn('<option value="TM">', plain)
