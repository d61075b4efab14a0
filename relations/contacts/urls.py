from django.urls import path

from relations.contacts import views

app_name = "contacts"

urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/export.csv", views.OrganizationCsvView.as_view(), name="organization_csv"),
    path("organizations/lookup.json", views.OrganizationLookupView.as_view(), name="organization_lookup"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("organizations/<int:pk>/calendar.ics", views.OrganizationFeedView.as_view(), name="organization_feed"),
    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/export.csv", views.ContactCsvView.as_view(), name="contact_csv"),
    path("contacts/export.vcf", views.ContactVcardListView.as_view(), name="contact_vcards"),
    path("contacts/<int:pk>/", views.ContactDetailView.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/vcard.vcf", views.ContactVcardView.as_view(), name="contact_vcard"),
]
