from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relations.contacts.models import Contact, Organization
from relations.core.indexes import OrderIndex
from relations.core.models import BaseModel, Framework, Source, Topic
from relations.events.models import Event

DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "odt", "jpg", "jpeg", "png"]
# What the first bytes of a file of each extension must be (as the filetype library reads them).
DOCUMENT_CONTENT = {
    "pdf": {"pdf"}, "doc": {"doc"}, "docx": {"docx"}, "odt": {"odt"}, "jpg": {"jpg"}, "jpeg": {"jpg"}, "png": {"png"},
}
# A Word 97-2003 file is an OLE compound file; filetype recognises only some of them as "doc".
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _newly_uploaded(file) -> bool:
    # A stored file was checked when it was uploaded; re-reading it on every later save would fail
    # (500) the day its file goes missing from the media directory.
    return not getattr(file, "_committed", False)


def validate_document_size(file):
    if not _newly_uploaded(file):
        return
    limit = settings.RELATIONS_DOCUMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The document is %(size).1f MB; the limit is %(limit).0f MB."),
            code="too_large",
            params={"size": file.size / 1_048_576, "limit": limit / 1_048_576},
        )


def validate_document_content(file):
    """The file is what its extension says: a renamed page, script or program is refused."""
    if not _newly_uploaded(file):
        return
    extension = PurePath(file.name).suffix.lower().lstrip(".")
    expected = DOCUMENT_CONTENT.get(extension)
    if expected is None:
        return  # FileExtensionValidator reports the extension
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if (kind is not None and kind.extension in expected) or (extension == "doc" and head.startswith(_OLE_SIGNATURE)):
        return
    raise ValidationError(
        _("The file's content is not a .%(extension)s document (it reads as %(kind)s). Upload the signed text as %(allowed)s."),
        code="wrong_content",
        params={
            "extension": extension,
            "kind": kind.mime if kind is not None else gettext("plain text or an unknown format"),
            "allowed": ", ".join(DOCUMENT_EXTENSIONS),
        },
    )


class Agreement(BaseModel):
    """A memorandum of understanding or another agreement between organizations."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION_AGREEMENT = "cooperation_agreement", _("Cooperation agreement")
        FRAMEWORK_AGREEMENT = "framework_agreement", _("Framework agreement")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
        PROJECT_AGREEMENT = "project_agreement", _("Project agreement")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UNDER_NEGOTIATION = "under_negotiation", _("Under negotiation")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.MOU)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    effective_on = models.DateField(_("in effect from"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("signed at"),
        help_text=_("The event where the agreement was signed."),
    )
    areas = models.ManyToManyField(Topic, blank=True, related_name="agreements", verbose_name=_("areas of cooperation"))
    frameworks = models.ManyToManyField(
        Framework,
        verbose_name=_("frameworks"),
        blank=True,
        related_name="agreements",
        help_text=_("Strategies and frameworks it aligns with."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the agreement covers, in our own words."))
    document = models.FileField(
        _("signed document"),
        upload_to="agreements/%Y/",
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size, validate_document_content],
        help_text=format_lazy(_("The signed text ({extensions})."), extensions=", ".join(DOCUMENT_EXTENSIONS)),
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="agreements")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = [F("signed_on").desc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(signed_on__isnull=True) | Q(expires_on__gte=F("signed_on")),
                name="agreements_agreement_expires_after_signing",
                violation_error_message=_("An agreement cannot expire before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(effective_on__gte=F("signed_on")),
                name="agreements_agreement_effective_after_signing",
                violation_error_message=_("An agreement cannot take effect before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(expires_on__gte=F("effective_on")),
                name="agreements_agreement_expires_after_effect",
                violation_error_message=_("An agreement cannot expire before it takes effect."),
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["signed_on"]),
            # The lists' order (Meta.ordering, then the primary key): a page is read from the index.
            OrderIndex(F("signed_on").desc(nulls_last=True), "title", "id", name="agreements_list_order"),
            models.Index(fields=["expires_on"]),
            # The start page's "recently changed".
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.signed_on and self.expires_on and self.expires_on < self.signed_on:
            errors["expires_on"] = _("An agreement cannot expire before it is signed.")
        if self.signed_on and self.effective_on and self.effective_on < self.signed_on:
            errors["effective_on"] = _("An agreement cannot take effect before it is signed.")
        elif self.effective_on and self.expires_on and self.expires_on < self.effective_on:
            errors["expires_on"] = _("An agreement cannot expire before it takes effect.")
        unsigned = {self.Status.DRAFT, self.Status.UNDER_NEGOTIATION}
        if self.status in unsigned and self.signed_on:
            errors["status"] = _("An agreement with a signing date cannot still be a draft or under negotiation.")
        if errors:
            raise ValidationError(errors)


class Party(BaseModel):
    """An organization bound by an agreement."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="agreement_parties"
    )

    history = HistoricalRecords()
    version_parents = ("agreement",)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "organization__name"]
        indexes = [
            # An organization's agreements (the party filter, a partner's page, the count per region)
            # from the index alone.
            models.Index(fields=["organization", "agreement"], name="agreements_party_org_agr_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"],
                name="agreements_party_once",
                violation_error_message=_("This organization is already a party to this agreement."),
            )
        ]

    def __str__(self):
        return gettext("%(organization)s — party to %(agreement)s") % {
            "organization": self.organization,
            "agreement": self.agreement,
        }


class Signatory(BaseModel):
    """The person who signed an agreement, on behalf of one of its parties, with the title held then."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="signatories"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("person"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="agreement_signatures",
        verbose_name=_("on behalf of"),
    )
    title = models.CharField(_("title at signing"), max_length=200, blank=True)

    history = HistoricalRecords()
    version_parents = ("agreement",)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["agreement", "organization__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "contact"],
                name="agreements_signatory_once",
                violation_error_message=_("This person is already listed as a signatory of this agreement."),
            )
        ]

    def __str__(self):
        return gettext("%(person)s for %(organization)s") % {"person": self.contact, "organization": self.organization}

    # Set by a caller that validates parties and signatories together before either
    # is saved (the admin's inlines, the API's nested write): the party organization ids
    # as they will be once the write is done.
    pending_party_ids: set[int] | None = None

    def clean(self):
        super().clean()
        if not self.organization_id:
            return
        if self.pending_party_ids is not None:
            party_ids = self.pending_party_ids
        elif self.agreement_id:
            party_ids = set(
                Party.objects.filter(agreement_id=self.agreement_id).values_list("organization_id", flat=True)
            )
        else:
            return
        if self.organization_id not in party_ids:
            raise ValidationError(
                {
                    "organization": _(
                        "A signatory must sign on behalf of one of the agreement's parties; "
                        "add this organization as a party first."
                    )
                }
            )
