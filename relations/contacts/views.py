from django.utils.translation import gettext_lazy as _

from relations.contacts import selectors
from relations.contacts.filtersets import ContactFilterSet, OrganizationFilterSet
from relations.contacts.tables import ContactTable, OrganizationTable, contact_csv_columns, organization_csv_columns
from relations.core.views import RecordCsvView, RecordDetailView, RecordListView


class OrganizationListView(RecordListView):
    permission_required = "contacts.view_organization"
    selector = staticmethod(selectors.organization_list)
    filterset_class = OrganizationFilterSet
    table_class = OrganizationTable
    title = _("Partners")
    csv_url_name = "contacts:organization_csv"


class OrganizationCsvView(RecordCsvView):
    permission_required = "contacts.view_organization"
    selector = staticmethod(selectors.organization_list)
    filterset_class = OrganizationFilterSet
    columns = staticmethod(organization_csv_columns)
    filename = "partners.csv"


class OrganizationDetailView(RecordDetailView):
    permission_required = "contacts.view_organization"
    selector = staticmethod(selectors.organization_detail)
    template_name = "contacts/organization_detail.html"


class ContactListView(RecordListView):
    permission_required = "contacts.view_contact"
    selector = staticmethod(selectors.contact_list)
    filterset_class = ContactFilterSet
    table_class = ContactTable
    title = _("Contacts")
    csv_url_name = "contacts:contact_csv"


class ContactCsvView(RecordCsvView):
    permission_required = "contacts.view_contact"
    selector = staticmethod(selectors.contact_list)
    filterset_class = ContactFilterSet
    columns = staticmethod(contact_csv_columns)
    filename = "contacts.csv"


class ContactDetailView(RecordDetailView):
    permission_required = "contacts.view_contact"
    selector = staticmethod(selectors.contact_detail)
    template_name = "contacts/contact_detail.html"
