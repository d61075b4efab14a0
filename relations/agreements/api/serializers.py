from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relations.agreements.models import DOCUMENT_EXTENSIONS, Agreement, Signatory
from relations.agreements.services import agreement_write
from relations.contacts.models import Organization
from relations.core.api.fields import RelatedNameField
from relations.core.api.serializers import ServiceWriteSerializer
from relations.core.api.lean import LeanListSerializer
from relations.core.models import Topic


class PartyField(serializers.PrimaryKeyRelatedField):
    """A party as its organization's id (the agreement's Party rows are read, organizations written)."""

    lean_column = "organization_id"  # what to_representation gives, for lists built from values() (lean.py)

    def to_representation(self, value):
        return value.organization_id


class SignatorySerializer(serializers.ModelSerializer):
    contact_name = RelatedNameField(source="contact.display_name")
    organization_name = RelatedNameField(source="organization.name")

    class Meta:
        model = Signatory
        fields = ["contact", "contact_name", "organization", "organization_name", "title"]


class AgreementSerializer(ServiceWriteSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="agreements-api:agreement-detail")
    parties = PartyField(
        many=True, queryset=Organization.objects.all(), required=False, help_text="Ids of the organizations bound."
    )
    signatories = SignatorySerializer(many=True, required=False)
    areas = serializers.SlugRelatedField(
        many=True, slug_field="name", queryset=Topic.objects.all(), required=False,
        help_text="Names of the areas of cooperation (topics).",
    )

    document = serializers.FileField(
        write_only=True,
        required=False,
        help_text=(
            f"The signed text ({', '.join(DOCUMENT_EXTENSIONS)}), checked by its content as well as its name, up to "
            f"{settings.RELATIONS_DOCUMENT_MAX_BYTES // 1_048_576} MB. Send the request as multipart/form-data."
        ),
    )
    document_url = serializers.SerializerMethodField(
        help_text="Where a logged-in user downloads the signed document; null when there is none."
    )

    class Meta:
        list_serializer_class = LeanListSerializer
        lean_columns = {"document_url": ("document",)}  # what get_document_url reads, for lean.values_plan
        model = Agreement
        fields = [
            "id", "url", "title", "kind", "status", "signed_on", "effective_on", "expires_on", "event",
            "parties", "signatories", "areas", "summary", "document", "document_url",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_document_url(self, agreement):
        if not agreement.document:
            return None
        url = reverse("agreements:agreement_document", args=[agreement.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def write(self, instance, data, *, user):
        return agreement_write(
            agreement=instance,
            parties=data.pop("parties", None),
            signatories=data.pop("signatories", None),
            areas=data.pop("areas", None),
            fields=data,
            user=user,
        )
