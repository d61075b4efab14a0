from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from relations.core.api.views import TokenView

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

# The REST API (see README "API"): one router per app, the token endpoint, the schema and its docs.
urlpatterns += [
    path("api/", include("relations.contacts.api.urls")),
    path("api/", include("relations.events.api.urls")),
    path("api/", include("relations.agreements.api.urls")),
    path("api/", include("relations.core.api.urls")),
    path("api/token/", TokenView.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Under /api/, "not found" and server errors answer JSON like the rest of the API.
handler404 = "relations.core.api.exceptions.page_not_found"
handler500 = "relations.core.api.exceptions.server_error"
