"""drf-spectacular extension: describe the FilterSets' method-based filters truthfully.

drf-spectacular guesses a filter's type from its model field; filters with a ``method``
(``party``, ``participant``, a contact's ``organization`` and ``country``...) have none, and
would be documented as free strings. A ModelChoiceFilter takes the record's integer id, and
a ChoiceFilter one of its choices.
"""

import django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class RelationsFilterExtension(DjangoFilterExtension):
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if not (filter_field.method and isinstance(filter_field, django_filters.ChoiceFilter)):
            return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, django_filters.ModelChoiceFilter):
            schema, enum = build_basic_type(OpenApiTypes.INT), None
        else:
            # Choices may be a callable-looking object (django-countries' ``countries``): list them.
            schema, enum = build_basic_type(OpenApiTypes.STR), [code for code, _ in filter_field.extra["choices"]]
        return [
            build_parameter_type(
                name=field_name,
                required=filter_field.extra["required"],
                location=OpenApiParameter.QUERY,
                description=self._get_field_description(filter_field, None),
                schema=schema,
                enum=enum,
            )
        ]
