from django.views.generic import DetailView, UpdateView

from shop.orders.models import Order


class OrderDetail(DetailView):
    model = Order


class OrderEdit(UpdateView):
    model = Order
    fields = ["closed"]
