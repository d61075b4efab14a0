from rest_framework.routers import SimpleRouter

from relations.agreements.api.views import AgreementViewSet

app_name = "agreements-api"

router = SimpleRouter()
router.register("agreements", AgreementViewSet)

urlpatterns = router.urls
