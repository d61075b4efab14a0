from rest_framework.routers import SimpleRouter

from relations.core.api.views import SourceViewSet, TopicViewSet

app_name = "core-api"

router = SimpleRouter()
router.register("topics", TopicViewSet)
router.register("sources", SourceViewSet)

urlpatterns = router.urls
