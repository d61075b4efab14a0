"""The read-only core resources, topics and sources, and the token endpoint."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import APIException, ValidationError

from relations.core import lockout
from relations.core.api.base import RelationsReadOnlyViewSet
from relations.core.api.schema import DETAIL_SCHEMA, FIELD_ERRORS_SCHEMA
from relations.core.api.serializers import SourceSerializer, TopicSerializer
from relations.core.api.throttling import TokenRateThrottle
from relations.core.filtersets import SourceFilterSet, TopicFilterSet
from relations.core.selectors import source_api_list, topic_api_list


class TopicViewSet(RelationsReadOnlyViewSet):
    """The controlled vocabulary of topics (what events discuss, what agreements cover)."""

    queryset = topic_api_list()
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet


class SourceViewSet(RelationsReadOnlyViewSet):
    """Where facts come from: articles, reports, minutes."""

    queryset = source_api_list()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet


class LoginPaused(APIException):
    """The token endpoint's answer while django-axes pauses this username from this address."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "login_paused"

    def __init__(self):
        super().__init__(lockout.lockout_message())
        # DRF's exception handler turns this into a Retry-After header.
        self.wait = lockout.cool_off_minutes() * 60


class LoginTokenSerializer(AuthTokenSerializer):
    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except ValidationError:
            # authenticate() hides why it failed; django-axes flags the request when it was the lockout.
            if getattr(self.context["request"], "axes_locked_out", False):
                raise LoginPaused() from None
            raise


@extend_schema(
    responses={
        200: LoginTokenSerializer,
        400: OpenApiResponse(
            FIELD_ERRORS_SCHEMA, description="Wrong username or password, or one of them missing; the body says which."
        ),
        429: OpenApiResponse(
            DETAIL_SCHEMA,
            description="Too many tries: from this address (see Retry-After), or too many failed logins for this "
            "username from this address, which pauses it for the cool-off time."
        ),
    }
)
class TokenView(ObtainAuthToken):
    """POST a username and password, get that user's API token (the same one on every call)."""

    serializer_class = LoginTokenSerializer
    throttle_classes = [TokenRateThrottle]
