from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterMixin

from relations.contacts import selectors, vcards
from relations.contacts.filtersets import ContactFilterSet, OrganizationFilterSet
from relations.contacts.models import Organization
from relations.contacts.tables import ContactTable, OrganizationTable, contact_csv_columns, organization_csv_columns
from relations.core import charts
from relations.core.views import CalendarFeedView, RecordCsvView, RecordDetailView, RecordListView, RecordLookupView
from relations.events import selectors as event_selectors


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


class OrganizationLookupView(RecordLookupView):
    permission_required = "contacts.view_organization"
    selector = staticmethod(selectors.organization_lookup)


class OrganizationDetailView(RecordDetailView):
    permission_required = "contacts.view_organization"
    selector = staticmethod(selectors.organization_detail)
    template_name = "contacts/organization_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=charts.partner_figures(self.object.pk), **kwargs)


class OrganizationFeedView(CalendarFeedView):
    """The dated events a partner took part in, as an iCalendar feed (``?token=`` the user's feed key)."""

    permission_required = ("events.view_event", "contacts.view_organization")
    filename = "partner-events.ics"

    def get_calendar(self):
        organization = Organization.objects.only("id", "name").filter(pk=self.kwargs["pk"]).first()
        if organization is None:
            return None
        name = gettext("Relations events: %(name)s") % {"name": organization.name}
        return name, event_selectors.organization_event_feed(organization.pk)


class ContactListView(RecordListView):
    permission_required = "contacts.view_contact"
    template_name = "contacts/contact_list.html"
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


class ContactVcardView(LoginRequiredMixin, PermissionRequiredMixin, SingleObjectMixin, View):
    """One person as a vCard file for an address book (personal details only with their permission)."""

    permission_required = "contacts.view_contact"

    def get_queryset(self):
        return selectors.contact_list()

    def get(self, request, *args, **kwargs):
        return vcards.vcard_response(request, self.get_object())


class ContactVcardListView(LoginRequiredMixin, PermissionRequiredMixin, FilterMixin, View):
    """Every person the contacts list's filters select, as one vCard file."""

    permission_required = "contacts.view_contact"
    filterset_class = ContactFilterSet

    def get_queryset(self):
        return selectors.contact_list()

    def get(self, request, *args, **kwargs):
        return vcards.vcard_list_response(request, self.get_filterset(self.get_filterset_class()))
