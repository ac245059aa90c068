from django.urls import path

from . import views

# never included: the routes keep their local paths
urlpatterns = [
    path("old/", views.home, name="old-home"),
]
