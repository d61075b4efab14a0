from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class CountryCodeField(CountryField):
    """An ISO 3166 alpha-2 code, or null when the record has no country (international bodies)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(allow_null=True, allow_blank=True, **kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""  # the model stores "no country" as an empty string
        return super().validate_empty_values(data)


class RelatedNameField(serializers.CharField):
    """The display name of a related record, read-only, next to its id."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        # No related record (a participant without a person) is null in every answer. DRF would
        # leave the key out of a PATCH's answer (it skips defaults on partial updates), which the
        # schema does not allow: the API fuzz step found it.
        for attr in self.source_attrs:
            if instance is None:
                return None
            instance = getattr(instance, attr)
        return instance


@extend_schema_field({"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]})
class BlankableURLField(serializers.URLField):
    """A URL, or an empty string where none is recorded (the models' URL fields are blank=True)."""
