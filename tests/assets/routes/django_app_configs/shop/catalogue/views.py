from django.http import HttpResponse
from django.views.generic import DetailView


def index(request):
    return HttpResponse("products")


class ProductDetailView(DetailView):
    template_name = "catalogue/detail.html"
