from django.urls import path

from relations.agreements import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/export.csv", views.AgreementCsvView.as_view(), name="agreement_csv"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/document/", views.AgreementDocumentView.as_view(), name="agreement_document"),
]
