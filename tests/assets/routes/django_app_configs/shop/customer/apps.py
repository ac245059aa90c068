from django.contrib.auth.decorators import login_required
from django.urls import path

from shop.config import AppUrls
from shop.loading import get_class


class CustomerConfig(AppUrls):
    name = "shop.customer"

    def ready(self):
        self.login_view = get_class("customer.views", "LoginView")
        self.profile_view = get_class("customer.views", "ProfileView")

    def get_urls(self):
        return [
            path("login/", self.login_view.as_view(), name="login"),
            path("profile/", login_required(self.profile_view.as_view()), name="profile"),
        ]
