from relations.agreements.api.serializers import AgreementSerializer
from relations.agreements.filtersets import AgreementFilterSet
from relations.agreements.selectors import agreement_api_list
from relations.core.api.base import RelationsViewSet


class AgreementViewSet(RelationsViewSet):
    """MoUs and other agreements, with their parties, signatories and areas of cooperation."""

    queryset = agreement_api_list()
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
