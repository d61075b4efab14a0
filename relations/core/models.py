import uuid

from django.conf import global_settings, settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NaturalKeyManager(models.Manager):
    """Look records up by their stable UUID, so fixtures carry no database ids.

    Loading a fixture twice updates the same rows, and loading it into a
    database that already holds other records never overwrites them.
    """

    def get_by_natural_key(self, uuid_value):
        return self.get(uuid=uuid_value)


def parent_ids(instance: models.Model) -> set[tuple[str, object]]:
    """(field, id) for each record named in ``instance``'s ``version_parents`` (an empty or deferred key: none)."""
    ids = set()
    for name in instance.version_parents:
        value = instance.__dict__.get(instance._meta.get_field(name).attname)
        if value is not None:
            ids.add((name, value))
    return ids


class BaseModel(models.Model):
    """Abstract base of every Relations record: a stable UUID and timestamps."""

    uuid = models.UUIDField("UUID", default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, editable=False)

    objects = NaturalKeyManager()

    # The foreign keys to the records whose version covers this row: their API body lists it, or their
    # admin change form has it as an inline, so saving or deleting it moves their version as well
    # (relations/core/concurrency.py, "Nested rows").
    version_parents: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if cls.version_parents:
            # The parents as loaded: a row moved to another parent changes both parents' versions.
            instance._loaded_version_parents = parent_ids(instance)
        return instance

    def natural_key(self):
        return (str(self.uuid),)

    def get_absolute_url(self):
        """The record's page in the staff web UI, or its admin page where it has none."""
        opts = self._meta
        try:
            return reverse(f"{opts.app_label}:{opts.model_name}_detail", args=[self.pk])
        except NoReverseMatch:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.pk])


class Source(BaseModel):
    """Where a fact came from: a news article, a report, minutes of a meeting."""

    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news_article", _("News article")
        PRESS_RELEASE = "press_release", _("Press release")
        REPORT = "report", _("Report")
        MINUTES = "minutes", _("Minutes")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS_ARTICLE)
    publisher = models.CharField(_("publisher / outlet"), max_length=200, blank=True)
    agency = models.CharField(_("news agency"), max_length=200, blank=True)
    published_on = models.DateField(_("published"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=global_settings.LANGUAGES, default="en", blank=True
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the source says, in our own words."))
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["published_on"])]

    def __str__(self):
        when = f" ({self.published_on:%d %b %Y})" if self.published_on else ""
        outlet = f", {self.publisher}" if self.publisher else ""
        return f"{self.title}{outlet}{when}"


class Topic(BaseModel):
    """A controlled vocabulary: what an event discussed, what an agreement covers."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="core_topic_unique_name",
                violation_error_message=_("A topic with this name already exists."),
            )
        ]

    def __str__(self):
        return self.name


class Framework(BaseModel):
    """A strategy or framework that agreements align with (e.g. IFRC Strategy 2030)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="core_framework_unique_name",
                violation_error_message=_("A framework with this name already exists."),
            )
        ]

    def __str__(self):
        return self.name


class FeedToken(models.Model):
    """A user's secret key for calendar feeds: calendar clients send no cookies, so the key in the URL logs in.

    The key is looked up by its SHA-256 digest (so how long a lookup takes says nothing about
    how much of a guessed key was right) and then compared in constant time. Resetting it
    (``relations.core.services.feed_token_reset``) stops every old address at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token", verbose_name=_("user")
    )
    key = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("feed token")
        # Not in the admin and not in any role: a key is its owner's business only.
        default_permissions = ()

    def __str__(self):
        return gettext("Feed token of %(user)s") % {"user": self.user}
