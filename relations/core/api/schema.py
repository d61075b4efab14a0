"""drf-spectacular: describe the FilterSets' method-based filters and the error answers truthfully.

drf-spectacular guesses a filter's type from its model field; filters with a ``method``
(``party``, ``participant``, a contact's ``organization`` and ``country``...) have none, and
would be documented as free strings. A ModelChoiceFilter takes the record's integer id, and
a ChoiceFilter one of its choices.
"""

import django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from relations.core.api.base import CSVListMixin
from relations.core.api.preconditions import VersionedReadMixin, VersionedWriteMixin


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


DETAIL_SCHEMA = _DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS_SCHEMA = _FIELD_ERRORS = {
    "type": "object",
    "description": "For each parameter or field in error, its messages; nested lists give one object per row.",
    "additionalProperties": True,
}
_BLOCKED = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "blocking_count": {"type": "integer"},
        "blocking": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "model": {"type": "string"},
                    "type": {"type": "string"},
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                },
            },
        },
    },
    "required": ["detail", "blocking_count", "blocking"],
}


_PRECONDITION_FAILED = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "current_version": {"type": "string"}},
    "required": ["detail", "current_version"],
}

_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        'The ETag you read as JSON, e.g. "1764334800123456" (a list, or a bare *, is accepted). The write is '
        "carried out only if it is still the record's current version; otherwise 412 and nothing is saved. A "
        'weak tag (W/...), a quoted "*" and the tag of a CSV body ("...-csv") never match. Without If-Match the '
        "write is unconditional (kept for existing clients)."
    ),
)
_ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 412],
    description="The record's current version, a strong tag to send back in If-Match.",
)


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class RelationsAutoSchema(AutoSchema):
    """Documents the JSON error answers of the Relations viewsets next to their success answers."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        detail = not (self.method == "GET" and self._is_list_view())
        if isinstance(self.view, VersionedWriteMixin) and self.method in ("PUT", "PATCH", "DELETE"):
            parameters.append(_IF_MATCH)
        if isinstance(self.view, VersionedReadMixin) and detail and self.method != "DELETE":
            parameters.append(_ETAG)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response" or not isinstance(self.view, CSVListMixin):
            return responses
        is_list = self.method == "GET" and self._is_list_view()
        if is_list or self.method in ("POST", "PUT", "PATCH"):
            responses["400"] = _json("A parameter or field is invalid; the body names it.", _FIELD_ERRORS)
        responses["401"] = _json("No credentials, or a wrong token.", _DETAIL)
        responses["403"] = _json("The user lacks the model permission this needs.", _DETAIL)
        responses["404"] = _json("No such record, or a page past the last one.", _DETAIL)
        # A write the database aborted twice because another write held the rows it needed (preconditions.py).
        conflict = "Someone else was saving a related record at the same moment; nothing was saved, try again."
        if self.method == "DELETE":
            responses["409"] = _json(
                f"Other records still point to this one; the body lists them. Or, with only detail: {conflict}",
                _BLOCKED,
            )
        elif isinstance(self.view, VersionedWriteMixin) and self.method in ("POST", "PUT", "PATCH"):
            responses["409"] = _json(conflict, _DETAIL)
        if isinstance(self.view, VersionedWriteMixin) and self.method in ("PUT", "PATCH", "DELETE"):
            responses["412"] = _json(
                "If-Match did not name the record's current version: someone changed it since you read it. "
                "Nothing was saved; the body and the ETag header give the current version.",
                _PRECONDITION_FAILED,
            )
        responses["429"] = _json("Too many requests; retry after the Retry-After header's seconds.", _DETAIL)
        return responses
