from rest_framework import serializers

from relations.contacts.models import Contact, Organization, Position
from relations.contacts.services import contact_write
from relations.core.api.fields import CountryCodeField, RelatedNameField
from relations.core.api.serializers import ServiceWriteSerializer
from relations.core.api.lean import LeanListSerializer, property_columns

PERSONAL_FIELDS = ("email", "phone", "notes")
PERSONAL_PERMISSION = "contacts.view_contact_details"

# The columns a person's names are made of, for lists built from values() rows (lean.py).
property_columns(
    Contact, full_name=("given_name", "family_name"), display_name=("honorific", "given_name", "family_name")
)


class OrganizationSerializer(ServiceWriteSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="contacts-api:organization-detail")
    country = CountryCodeField(help_text="ISO 3166 alpha-2 code; null for international bodies.")

    class Meta:
        list_serializer_class = LeanListSerializer
        model = Organization
        fields = [
            "id", "url", "name", "acronym", "native_name", "alternative_names", "kind", "country", "city",
            "region", "website", "email", "phone", "parent", "is_own_organization",
        ]


class PositionSerializer(serializers.ModelSerializer):
    organization_name = RelatedNameField(source="organization.name")

    class Meta:
        model = Position
        fields = ["organization", "organization_name", "title", "department", "start_date", "end_date"]


class ContactSerializer(ServiceWriteSerializer):
    """A person. ``email``, ``phone`` and ``notes`` appear only for users allowed to see contact details."""

    url = serializers.HyperlinkedIdentityField(view_name="contacts-api:contact-detail")
    full_name = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True, help_text="The name with the honorific.")
    positions = PositionSerializer(many=True, required=False)

    class Meta:
        list_serializer_class = LeanListSerializer
        model = Contact
        fields = [
            "id", "url", "full_name", "display_name", "honorific", "given_name", "family_name", "native_name",
            "alternative_names", "positions", *PERSONAL_FIELDS,
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not request.user.has_perm(PERSONAL_PERMISSION):
            for name in PERSONAL_FIELDS:
                fields.pop(name)
        return fields

    def write(self, instance, data, *, user):
        return contact_write(contact=instance, positions=data.pop("positions", None), fields=data, user=user)
