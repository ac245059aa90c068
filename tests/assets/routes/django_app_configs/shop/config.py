from django.apps import AppConfig
from django.urls import path


class AppUrls(AppConfig):
    """Every app config serves its own patterns: self.urls is what include() takes."""

    def get_urls(self):
        return []

    @property
    def urls(self):
        return self.get_urls(), self.label, self.label


class Shop(AppUrls):
    name = "shop"

    def ready(self):
        self.catalogue_app = apps.get_app_config("catalogue")
        self.customer_app = apps.get_app_config("customer")

    def get_urls(self):
        urls = [
            path("catalogue/", self.catalogue_app.urls),
            path("accounts/", include(self.customer_app.urls[0])),
        ]
        return urls
