from django.urls import include, path

from . import views

# includes its includer: Django would recurse for ever; the analyzer must stop
urlpatterns = [
    path("b/", include("loop.urls")),
    path("leaf/", views.leaf),
]
