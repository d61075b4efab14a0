from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from relations.core.models import BaseModel, NaturalKeyManager, Source
from relations.core.text import build_search_key


class Region(models.TextChoices):
    """The IFRC's five regions."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA_PACIFIC = "asia_pacific", _("Asia Pacific")
    EUROPE = "europe", _("Europe")
    MENA = "mena", _("Middle East and North Africa")


def organization_search_key(organization) -> str:
    """The search key of an organization (or of a historical/unsaved copy with the same fields)."""
    return build_search_key(
        organization.name, organization.acronym, organization.native_name, organization.alternative_names
    )


def contact_search_key(contact) -> str:
    """The search key of a person: the name in both orders, the own-script name and other spellings."""
    given, family = contact.given_name, contact.family_name
    return build_search_key(
        " ".join(part for part in (given, family) if part),
        f"{family} {given}",
        contact.native_name,
        contact.alternative_names,
    )


class Organization(BaseModel):
    """A partner: a National Society, the IFRC, the ICRC, a government body, a UN agency, an NGO."""

    class Kind(models.TextChoices):
        NATIONAL_SOCIETY = "national_society", _("National Society")
        IFRC = "ifrc", _("IFRC")
        ICRC = "icrc", _("ICRC")
        GOVERNMENT = "government", _("Government body")
        UN_AGENCY = "un_agency", _("UN agency")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The name in Latin script, as the organization writes it.")
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    native_name = models.CharField(
        _("name in its own script"), max_length=200, blank=True, help_text=_("E.g. the name in Arabic or Cyrillic.")
    )
    alternative_names = models.TextField(
        _("alternative names"),
        blank=True,
        help_text=_("Other spellings, former names and transliterations, one per line."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NATIONAL_SOCIETY)
    country = CountryField(_("country"), blank=True, help_text=_("Leave empty for international bodies."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True, help_text=_("IFRC region.")
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organization"),
    )
    is_own_organization = models.BooleanField(
        _("our own organization"),
        default=False,
        help_text=_("The national society this office belongs to (at most one)."),
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="organizations")
    search_key = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="contacts_organization_unique_name_country",
                violation_error_message=_("An organization with this name already exists in this country."),
            ),
            models.UniqueConstraint(
                fields=["is_own_organization"],
                condition=Q(is_own_organization=True),
                name="contacts_organization_one_own",
                violation_error_message=_("Another organization is already marked as our own organization."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="contacts_organization_not_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["country"]),
            models.Index(fields=["region"]),
            # The default order of the partners list and the admin: walked, not sorted.
            models.Index(fields=["name"]),
            # The start page's "recently changed".
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def lookup_label(self) -> str:
        """How a filter's search-as-you-type names the organization."""
        return str(self)

    def clean(self):
        super().clean()
        if self.kind in (self.Kind.IFRC, self.Kind.ICRC) and self.country:
            # International bodies have no country; their delegations are separate records with a parent.
            if not self.parent_id:
                raise ValidationError(
                    {
                        "country": _(
                            "Leave the country empty for the IFRC or ICRC itself; record a country delegation "
                            "as its own organization with the IFRC or ICRC as parent."
                        )
                    }
                )
        ancestor, seen = self.parent, set()
        while ancestor is not None and self.pk:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("This parent would make the organization its own ancestor.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def save(self, *args, **kwargs):
        self.search_key = organization_search_key(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


class Contact(BaseModel):
    """A person at a partner organization (or in our own)."""

    honorific = models.CharField(
        _("honorific"),
        max_length=50,
        blank=True,
        help_text=_('Titles before the name, kept apart from it: "HE", "Dr.", "Eng.".'),
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    native_name = models.CharField(_("name in own script"), max_length=200, blank=True)
    alternative_names = models.TextField(
        _("alternative names"), blank=True, help_text=_("Other spellings and transliterations, one per line.")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="contacts")
    search_key = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["family_name", "given_name"]
        permissions = [("view_contact_details", _("Can view personal contact details (email, phone, notes)"))]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            # The start page's "recently changed".
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self):
        return self.display_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.honorific, self.full_name) if part)

    def save(self, *args, **kwargs):
        self.search_key = contact_search_key(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on)
        )

    def past(self, on=None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)


class Position(BaseModel):
    """A role a contact holds (or held) at an organization. No end date means current."""

    # Indexed by contacts_position_person_dates (Meta.indexes), which starts with it.
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="positions", db_index=False
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("title"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty while the position is held.")
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="positions")

    history = HistoricalRecords()
    version_parents = ("contact", "organization")  # listed in the person's API body, inline on both admin pages

    objects = NaturalKeyManager.from_queryset(PositionQuerySet)()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = [F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="contacts_position_end_after_start",
                violation_error_message=_("A position cannot end before it starts."),
            )
        ]
        indexes = [
            # Covers the list filters' "positions at these organizations (held now)": the organization,
            # the dates that say current or past, and the person, all read from the index. Without the
            # dates and the person in it, PostgreSQL scanned every position to filter by country.
            models.Index(fields=["organization", "end_date", "start_date", "contact"], name="contacts_position_org_dates"),
            # A person's positions with the dates that say current or past: "in post" tests each person
            # from the index alone (and counts them: SQLite 14.7 -> 6.8 ms for 17,074 of 20,011 people).
            models.Index(fields=["contact", "end_date", "start_date"], name="contacts_position_person_dates"),
        ]

    def __str__(self):
        return f"{self.title}, {self.organization}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.end_date is None or self.end_date >= today) and (
            self.start_date is None or self.start_date <= today
        )

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A position cannot end before it starts.")})
