from django.urls import include, path, re_path

from shop import views as shop_views

urlpatterns = [
    path("", shop_views.home, name="home"),
    path("shop/", include("shop.urls")),
    re_path(r"^legacy/(?P<slug>[-\w]+)/$", shop_views.legacy, name="legacy"),
]

urlpatterns += [
    path("api/", include(("api.urls", "api"), namespace="api")),
]
