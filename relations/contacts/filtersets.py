import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from relations.agreements.models import Agreement, Party
from relations.contacts.models import Contact, Organization, Position, Region
from relations.core.filters import (
    FilterSet,
    LookupChoiceFilter,
    RememberedSelect,
    ordering_filter,
    search_key_filter,
    words_filter,
)
from relations.core.models import Topic
from relations.events.models import Event, Participation


class OrganizationFilterSet(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Name, acronym, name in its own script or other spellings.")
    )
    words = django_filters.CharFilter(
        method="filter_words",
        label=_("Name words"),
        help_text=_("Whole words of the name, or their beginnings, in any script."),
    )
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    country = django_filters.ChoiceFilter(
        choices=countries, widget=RememberedSelect, help_text=_("ISO 3166 alpha-2 code, e.g. TM.")
    )
    region = django_filters.ChoiceFilter(choices=Region.choices)
    agreement_status = django_filters.ChoiceFilter(
        choices=Agreement.Status.choices,
        method="filter_agreement_status",
        label=_("Has an agreement with status"),
    )
    event = LookupChoiceFilter(
        queryset=Event.objects.all(), lookup="events:event_lookup", method="filter_event", label=_("Attended event")
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(),
        method="filter_topic",
        label=_("Topic"),
        help_text=_("Attended an event on this topic or signed an agreement covering it."),
    )
    ordering = ordering_filter(
        ("name", "name", _("Name")),
        ("acronym", "acronym", _("Acronym")),
        ("kind", "kind", _("Kind")),
        ("country", "country", _("Country")),
        ("region", "region", _("Region")),
        ("updated_at", "updated", _("Last changed")),
    )

    class Meta:
        model = Organization
        fields = ["search", "words", "kind", "country", "region", "agreement_status", "event", "topic"]

    def filter_search(self, queryset, name, value):
        return search_key_filter(queryset, value)

    def filter_words(self, queryset, name, value):
        return words_filter(queryset, value)

    def filter_agreement_status(self, queryset, name, value):
        return queryset.filter(pk__in=Party.objects.filter(agreement__status=value).values("organization_id"))

    def filter_event(self, queryset, name, value):
        return queryset.filter(pk__in=Participation.objects.filter(event=value).values("organization_id"))

    def filter_topic(self, queryset, name, value):
        return queryset.filter(
            Q(pk__in=Participation.objects.filter(event__topics=value).values("organization_id"))
            | Q(pk__in=Party.objects.filter(agreement__areas=value).values("organization_id"))
        )


class ContactFilterSet(FilterSet):
    POSITION_STATUS_CHOICES = [("current", _("Current position")), ("past", _("Past position"))]

    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Any form of the name, in any script.")
    )
    words = django_filters.CharFilter(
        method="filter_words",
        label=_("Name words"),
        help_text=_("Whole words of the name, or their beginnings, in any script."),
    )
    organization = LookupChoiceFilter(
        queryset=Organization.objects.all(),
        lookup="contacts:organization_lookup",
        method="filter_organization",
        label=_("Organization"),
        help_text=_("People who hold or held a position there."),
    )
    country = django_filters.ChoiceFilter(
        choices=countries,
        widget=RememberedSelect,
        method="filter_country",
        label=_("Country"),
        help_text=_("Country of an organization where they hold or held a position."),
    )
    position_status = django_filters.ChoiceFilter(
        choices=POSITION_STATUS_CHOICES,
        method="filter_position_status",
        label=_("Position"),
        help_text=_("With an organization: current or past position there; alone: anywhere."),
    )
    event = LookupChoiceFilter(
        queryset=Event.objects.all(), lookup="events:event_lookup", method="filter_event", label=_("Attended event")
    )
    ordering = ordering_filter(
        ("family_name", "family_name", _("Family name")),
        ("given_name", "given_name", _("Given name")),
        ("updated_at", "updated", _("Last changed")),
    )

    class Meta:
        model = Contact
        fields = ["search", "words", "organization", "country", "position_status", "event"]

    def _positions(self):
        """Positions matching the organization, country and status filters together."""
        positions = Position.objects.all()
        data = self.form.cleaned_data
        if data.get("organization"):
            positions = positions.filter(organization=data["organization"])
        if data.get("country"):
            positions = positions.filter(organization__country=data["country"])
        if data.get("position_status") == "current":
            positions = positions.current()
        elif data.get("position_status") == "past":
            positions = positions.past()
        return positions

    def filter_search(self, queryset, name, value):
        return search_key_filter(queryset, value)

    def filter_words(self, queryset, name, value):
        return words_filter(queryset, value)

    def filter_organization(self, queryset, name, value):
        return queryset.filter(pk__in=self._positions().values("contact_id"))

    def filter_country(self, queryset, name, value):
        if self.form.cleaned_data.get("organization"):
            return queryset  # already applied together with the organization
        return queryset.filter(pk__in=self._positions().values("contact_id"))

    def filter_position_status(self, queryset, name, value):
        data = self.form.cleaned_data
        if data.get("organization") or data.get("country"):
            return queryset  # already applied together with the organization or country
        # Alone, the status matches most people (everyone in post): tested person by person in the
        # list's order, a page stops after its rows. (With ``pk__in`` SQLite collects every match and
        # sorts them all for one page.) An organization or a country picks few: they stay ``pk__in``.
        return queryset.filter(Exists(self._positions().filter(contact_id=OuterRef("pk"))))

    def filter_event(self, queryset, name, value):
        return queryset.filter(pk__in=Participation.objects.filter(event=value).values("contact_id"))
