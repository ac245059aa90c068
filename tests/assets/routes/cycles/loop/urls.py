from django.urls import include, path

from . import views

urlpatterns = [
    path("a/", include("loop.more_urls")),
    path("home/", views.home),
]
