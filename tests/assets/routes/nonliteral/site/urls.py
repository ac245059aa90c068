from django.urls import path

from . import views
from .constants import SECTION

VERSION = "v2"


def dynamic():
    return "x"


urlpatterns = [
    path(f"{VERSION}/reports/", views.reports, name="reports"),
    path(SECTION + "/<int:pk>/", views.section, name="section"),
    path(dynamic() + "/", views.other, name="dynamic"),
    path(f"{views.PREFIX}/z/", views.other, name="attribute"),
]
