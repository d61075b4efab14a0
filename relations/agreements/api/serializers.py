from rest_framework import serializers

from relations.agreements.models import Agreement, Signatory
from relations.agreements.services import agreement_write
from relations.contacts.models import Organization
from relations.core.api.fields import RelatedNameField
from relations.core.api.serializers import ServiceWriteSerializer
from relations.core.api.lean import LeanListSerializer
from relations.core.models import Topic


class PartyField(serializers.PrimaryKeyRelatedField):
    """A party as its organization's id (the agreement's Party rows are read, organizations written)."""

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

    class Meta:
        list_serializer_class = LeanListSerializer
        model = Agreement
        fields = [
            "id", "url", "title", "kind", "status", "signed_on", "effective_on", "expires_on", "event",
            "parties", "signatories", "areas", "summary",
        ]

    def write(self, instance, data, *, user):
        return agreement_write(
            agreement=instance,
            parties=data.pop("parties", None),
            signatories=data.pop("signatories", None),
            areas=data.pop("areas", None),
            fields=data,
            user=user,
        )
