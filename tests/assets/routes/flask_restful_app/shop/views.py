from flask import Blueprint
from flask.views import View

account = Blueprint("account", __name__)


class Profile(View):
    methods = ["GET", "POST"]

    def dispatch_request(self):
        return "profile"


account.add_url_rule("/profile", view_func=Profile.as_view("profile"))
