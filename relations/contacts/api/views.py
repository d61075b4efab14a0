from relations.contacts.api.serializers import ContactSerializer, OrganizationSerializer
from relations.contacts.filtersets import ContactFilterSet, OrganizationFilterSet
from relations.contacts.selectors import contact_api_list, organization_list
from relations.core.api.base import RelationsViewSet


class OrganizationViewSet(RelationsViewSet):
    """Partner organizations: National Societies, the IFRC, the ICRC, governments, UN agencies, NGOs."""

    queryset = organization_list()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet


class ContactViewSet(RelationsViewSet):
    """People at partner organizations, with the positions they hold or held."""

    queryset = contact_api_list()
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
