from django.urls import path, re_path

from shop import views

urlpatterns = [
    path("items/<uuid:code>/", views.item),
    path("cart/", views.cart),
    re_path(r"^(?P<slug>[-\w]+)/buy/$", views.buy),
]
