from django.urls import path, re_path

from blog import views

urlpatterns = [
    path("<int:year>/", views.year),
    path("tag/<str:name>/", views.tag),
    re_path(r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.archive),
    path("files/<path:name>", views.files),
    path("<slug:slug>/", views.post),
]
