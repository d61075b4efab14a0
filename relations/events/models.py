from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from relations.contacts.models import Contact, Organization
from relations.core.indexes import OrderIndex
from relations.core.models import BaseModel, Source, Topic


class Event(BaseModel):
    """A conference, a bilateral meeting on its sidelines, a visit, a workshop."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        BILATERAL_MEETING = "bilateral_meeting", _("Bilateral meeting")
        VISIT = "visit", _("Visit")
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="side_events",
        verbose_name=_("part of"),
        help_text=_("The conference a side meeting was held at."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    host = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host organization"),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("What the event was, in our own words."))
    outcomes = models.TextField(_("outcomes"), blank=True, help_text=_("What came out of it, in our own words."))
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="events", help_text=_("What was discussed.")
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="events")

    history = HistoricalRecords()
    version_parents = ("parent",)  # a side meeting is an inline of its main event's admin page

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = [F("start_date").desc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="events_event_end_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="events_event_not_own_parent",
                violation_error_message=_("An event cannot be part of itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"]),
            # The lists' order (Meta.ordering, then the primary key): a page is read from the index.
            OrderIndex(F("start_date").desc(nulls_last=True), "title", "id", name="events_event_list_order"),
            models.Index(fields=["kind"]),
            models.Index(fields=["country"]),
            # The start page's "recently changed".
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def lookup_label(self) -> str:
        """How a filter's search-as-you-type names the event: its title and first day (titles repeat)."""
        return f"{self.title} ({date_format(self.start_date)})" if self.start_date else self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("An event cannot end before it starts.")
        if self.parent_id:
            parent = self.parent
            ancestor, seen = parent, set()
            while ancestor is not None:
                if (self.pk and ancestor.pk == self.pk) or ancestor.pk in seen:
                    errors["parent"] = _("An event cannot be part of itself or of one of its own side meetings.")
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
            if "parent" not in errors:
                if self.start_date and parent.start_date and self.start_date < parent.start_date:
                    errors["start_date"] = gettext("A side meeting cannot start before %(event)s (%(date)s).") % {
                        "event": parent,
                        "date": date_format(parent.start_date),
                    }
                if self.start_date and parent.end_date and self.start_date > parent.end_date:
                    errors["start_date"] = gettext("A side meeting cannot start after %(event)s ends (%(date)s).") % {
                        "event": parent,
                        "date": date_format(parent.end_date),
                    }
        if errors:
            raise ValidationError(errors)


class Participation(BaseModel):
    """Who attended an event: an organization, optionally a person from it, in a role."""

    class Role(models.TextChoices):
        HOST = "host", _("Host")
        ORGANIZER = "organizer", _("Organizer")
        PARTICIPANT = "participant", _("Participant")
        OBSERVER = "observer", _("Observer")
        HEAD_OF_DELEGATION = "head_of_delegation", _("Head of delegation")
        DELEGATION_MEMBER = "delegation_member", _("Delegation member")
        SPEAKER = "speaker", _("Speaker")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="participations"
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("person"),
        help_text=_("Leave empty to record the organization's attendance as a whole."),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.PARTICIPANT)
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="participations")

    history = HistoricalRecords()
    version_parents = ("event",)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["event", "organization__name", F("contact__family_name").asc(nulls_first=True), "pk"]
        indexes = [
            # An organization's events (the participant filter, a partner's page and timeline, the
            # start page's count per region) read from the index alone, not from every participation row.
            models.Index(fields=["organization", "event"], name="events_part_org_event_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "contact"],
                condition=Q(contact__isnull=False),
                name="events_participation_person_once",
                violation_error_message=_("This person is already listed as attending this event."),
            ),
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(contact__isnull=True),
                name="events_participation_organization_once",
                violation_error_message=_("This organization's attendance is already recorded for this event."),
            ),
        ]

    def __str__(self):
        who = f"{self.contact} ({self.organization})" if self.contact_id else str(self.organization)
        return gettext("%(who)s — %(role)s at %(event)s") % {
            "who": who,
            "role": self.get_role_display(),
            "event": self.event,
        }
