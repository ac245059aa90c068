from django.urls import path

from shop.config import AppUrls
from shop.catalogue import views


class CatalogueConfig(AppUrls):
    label = "catalogue"
    name = "shop.catalogue"
    detail_view = views.ProductDetailView

    def get_urls(self):
        urls = super().get_urls()
        urls += [
            path("", views.index, name="index"),
            path("<int:pk>/", self.detail_view.as_view(), name="detail"),
        ]
        return self.post_process_urls(urls)
