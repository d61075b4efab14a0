from rest_framework import serializers

from relations.core.api.fields import CountryCodeField, RelatedNameField
from relations.core.api.serializers import ServiceWriteSerializer
from relations.core.api.lean import LeanListSerializer
from relations.core.models import Topic
from relations.events.models import Event, Participation
from relations.events.services import event_write


class ParticipantSerializer(serializers.ModelSerializer):
    organization_name = RelatedNameField(source="organization.name")
    contact_name = RelatedNameField(source="contact.display_name", allow_null=True, default=None)

    class Meta:
        model = Participation
        fields = ["organization", "organization_name", "contact", "contact_name", "role"]


class EventSerializer(ServiceWriteSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="events-api:event-detail")
    country = CountryCodeField()
    topics = serializers.SlugRelatedField(
        many=True, slug_field="name", queryset=Topic.objects.all(), required=False, help_text="Topic names."
    )
    participants = ParticipantSerializer(many=True, source="participations", required=False)

    class Meta:
        list_serializer_class = LeanListSerializer
        model = Event
        fields = [
            "id", "url", "title", "kind", "theme", "start_date", "end_date", "city", "country", "venue",
            "parent", "host", "topics", "participants", "description", "outcomes",
        ]

    def write(self, instance, data, *, user):
        return event_write(
            event=instance,
            participants=data.pop("participations", None),
            topics=data.pop("topics", None),
            fields=data,
            user=user,
        )
