from rest_framework.routers import SimpleRouter

from relations.contacts.api.views import ContactViewSet, OrganizationViewSet

app_name = "contacts-api"

router = SimpleRouter()
router.register("organizations", OrganizationViewSet)
router.register("contacts", ContactViewSet)

urlpatterns = router.urls
