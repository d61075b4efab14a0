from django.db import models
from rest_framework import serializers

from relations.core.api.fields import BlankableURLField
from relations.core.api.lean import LeanListSerializer
from relations.core.models import Source, Topic
from relations.core.services import record_write


class ServiceWriteSerializer(serializers.ModelSerializer):
    """create() and update() hand the validated data to a service, which validates like the admin.

    ``write()`` calls the model's service; by default a plain ``record_write`` (full_clean, save).
    The view passes the requesting user as ``user`` for the history.
    """

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.URLField: BlankableURLField}

    def create(self, validated_data):
        return self.write(None, validated_data, user=validated_data.pop("user", None))

    def update(self, instance, validated_data):
        return self.write(instance, validated_data, user=validated_data.pop("user", None))

    def write(self, instance, data: dict, *, user):
        return record_write(instance=instance or self.Meta.model(), fields=data, user=user)


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="core-api:topic-detail")

    class Meta:
        list_serializer_class = LeanListSerializer
        model = Topic
        fields = ["id", "url", "name", "slug", "description"]


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="core-api:source-detail")
    link = BlankableURLField(source="url", read_only=True, help_text="Where the source can be read.")

    class Meta:
        list_serializer_class = LeanListSerializer
        model = Source
        fields = ["id", "url", "title", "kind", "publisher", "agency", "published_on", "link", "language", "summary"]
