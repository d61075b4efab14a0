from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Language switcher: Django's set_language view (POST, remembers the choice in a cookie)
    path("i18n/", include("django.conf.urls.i18n")),
    # Web pages for staff (issue 3)
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("relations.core.urls")),
    path("", include("relations.contacts.urls")),
    path("", include("relations.events.urls")),
    path("", include("relations.agreements.urls")),
]
