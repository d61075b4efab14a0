from rest_framework import serializers

from relations.core.models import Source, Topic


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="core-api:topic-detail")

    class Meta:
        model = Topic
        fields = ["id", "url", "name", "slug", "description"]


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="core-api:source-detail")
    link = serializers.URLField(source="url", read_only=True, help_text="Where the source can be read.")

    class Meta:
        model = Source
        fields = ["id", "url", "title", "kind", "publisher", "agency", "published_on", "link", "language", "summary"]
