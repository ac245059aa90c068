from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response


class OrderViewSet(viewsets.ModelViewSet):
    def list(self, request):
        return Response([])

    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request, pk=None):
        return Response({})

    @action(detail=False)
    def recent_orders(self, request):
        return Response([])


class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "sku"


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    pass


@api_view(["GET"])
def ping(request):
    return Response("pong")
