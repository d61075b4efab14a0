from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic.detail import BaseDetailView

from relations.agreements import documents, selectors
from relations.agreements.filtersets import AgreementFilterSet
from relations.agreements.models import Agreement
from relations.agreements.tables import AgreementTable, agreement_csv_columns
from relations.core.views import RecordCsvView, RecordDetailView, RecordListView


class AgreementListView(RecordListView):
    permission_required = "agreements.view_agreement"
    selector = staticmethod(selectors.agreement_list)
    filterset_class = AgreementFilterSet
    table_class = AgreementTable
    title = _("Agreements")
    csv_url_name = "agreements:agreement_csv"


class AgreementCsvView(RecordCsvView):
    permission_required = "agreements.view_agreement"
    selector = staticmethod(selectors.agreement_list)
    filterset_class = AgreementFilterSet
    columns = staticmethod(agreement_csv_columns)
    filename = "agreements.csv"


class AgreementDetailView(RecordDetailView):
    permission_required = "agreements.view_agreement"
    selector = staticmethod(selectors.agreement_detail)
    template_name = "agreements/agreement_detail.html"


class AgreementDocumentView(LoginRequiredMixin, PermissionRequiredMixin, BaseDetailView):
    """The signed document, as a download, for users who may view agreements."""

    permission_required = "agreements.view_agreement"
    queryset = Agreement.objects.all()

    def render_to_response(self, context):
        return documents.document_response(self.object)
