from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import OrderViewSet, ProductViewSet, ping

router = DefaultRouter()
router.register(r"orders", OrderViewSet, basename="order")
router.register(r"products", ProductViewSet, basename="product")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("ping/", ping, name="ping"),
    # a viewset mapped by hand
    path("orders-alt/", OrderViewSet.as_view({"get": "list", "post": "create"}), name="orders-alt"),
]
