from django.urls import include, path, re_path

from home import views as home_views
from legacy import views as legacy_views

urlpatterns = [
    path("", home_views.index),
    path("blog/drafts/", legacy_views.drafts),
    path("blog/", include("blog.urls")),
    path("shop/", include("shop.urls")),
    re_path(r"^legacy/(?P<page>[a-z]+)\.html$", legacy_views.page),
    path("<str:username>/", home_views.profile),
]
