from django.urls import include, path

from . import views

app_name = "shop"

order_patterns = [
    path("", views.OrderListView.as_view(), name="order-list"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("<int:pk>/pay/", views.pay, name="order-pay"),
]

urlpatterns = [
    path("orders/", include(order_patterns)),
    path("products/", include([path("<slug:slug>/", views.product_detail, name="product")])),
    path("about/", views.AboutView.as_view(), name="about"),
    path("cart/", views.cart_view, name="cart"),
]
