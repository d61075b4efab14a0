from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from relations.contacts.models import Contact, Organization
from relations.core.models import BaseModel, Source, Topic


class Event(BaseModel):
    """A conference, a bilateral meeting on its sidelines, a visit, a workshop."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", "Conference"
        BILATERAL_MEETING = "bilateral_meeting", "Bilateral meeting"
        VISIT = "visit", "Visit"
        WORKSHOP = "workshop", "Workshop"
        TRAINING = "training", "Training"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    theme = models.CharField(max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="side_events",
        verbose_name="part of",
        help_text="The conference a side meeting was held at.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    venue = models.CharField(max_length=200, blank=True)
    host = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name="host organization",
    )
    description = models.TextField(blank=True, help_text="What the event was, in our own words.")
    outcomes = models.TextField(blank=True, help_text="What came out of it, in our own words.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="events", help_text="What was discussed.")
    sources = models.ManyToManyField(Source, blank=True, related_name="events")

    history = HistoricalRecords()

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="events_event_end_after_start",
                violation_error_message="An event cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="events_event_not_own_parent",
                violation_error_message="An event cannot be part of itself.",
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["country"]),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "An event cannot end before it starts."
        if self.parent_id:
            parent = self.parent
            ancestor, seen = parent, set()
            while ancestor is not None:
                if (self.pk and ancestor.pk == self.pk) or ancestor.pk in seen:
                    errors["parent"] = "An event cannot be part of itself or of one of its own side meetings."
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
            if "parent" not in errors:
                if self.start_date and parent.start_date and self.start_date < parent.start_date:
                    errors["start_date"] = f"A side meeting cannot start before {parent} ({parent.start_date:%d %b %Y})."
                if self.start_date and parent.end_date and self.start_date > parent.end_date:
                    errors["start_date"] = f"A side meeting cannot start after {parent} ends ({parent.end_date:%d %b %Y})."
        if errors:
            raise ValidationError(errors)


class Participation(BaseModel):
    """Who attended an event: an organization, optionally a person from it, in a role."""

    class Role(models.TextChoices):
        HOST = "host", "Host"
        ORGANIZER = "organizer", "Organizer"
        PARTICIPANT = "participant", "Participant"
        OBSERVER = "observer", "Observer"
        HEAD_OF_DELEGATION = "head_of_delegation", "Head of delegation"
        DELEGATION_MEMBER = "delegation_member", "Delegation member"
        SPEAKER = "speaker", "Speaker"
        OTHER = "other", "Other"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="participations")
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name="person",
        help_text="Leave empty to record the organization's attendance as a whole.",
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.PARTICIPANT)
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="participations")

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "organization__name", F("contact__family_name").asc(nulls_first=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "contact"],
                condition=Q(contact__isnull=False),
                name="events_participation_person_once",
                violation_error_message="This person is already listed as attending this event.",
            ),
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(contact__isnull=True),
                name="events_participation_organization_once",
                violation_error_message="This organization's attendance is already recorded for this event.",
            ),
        ]

    def __str__(self):
        who = f"{self.contact} ({self.organization})" if self.contact_id else str(self.organization)
        return f"{who} — {self.get_role_display()} at {self.event}"
