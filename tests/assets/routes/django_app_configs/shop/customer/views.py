from django.views import View


class LoginView(View):
    def get(self, request):
        ...

    def post(self, request):
        ...


class ProfileView(View):
    def get(self, request):
        ...
