from rest_framework.routers import SimpleRouter

from .views import TagViewSet

# a router that no URLconf includes
router = SimpleRouter(trailing_slash=False)
router.register("tags", TagViewSet, basename="tag")
