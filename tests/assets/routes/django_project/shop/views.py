from django.http import HttpResponse
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView


class BaseOrderView(View):
    def get(self, request, pk=None):
        return HttpResponse("order")


class OrderListView(BaseOrderView):
    def post(self, request):
        return HttpResponse("created")


class OrderDetailView(BaseOrderView):
    def delete(self, request, pk):
        return HttpResponse("deleted")


class AboutView(TemplateView):
    template_name = "about.html"


class PlainView(View):
    pass


def home(request):
    return HttpResponse("home")


def legacy(request, slug):
    return HttpResponse(slug)


@require_POST
def pay(request, pk):
    return HttpResponse("paid")


@require_http_methods(["GET", "POST"])
def product_detail(request, slug):
    return HttpResponse(slug)


cart_view = PlainView.as_view()
