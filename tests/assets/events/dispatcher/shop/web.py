"""Look-alikes that are not events of ours."""

from fastapi import FastAPI
from flask_socketio import emit
from rest_framework.routers import DefaultRouter

from shop.handlers import on_shipped

app = FastAPI()
router = DefaultRouter()
event_router = DefaultRouter()


class OrderViewSet:
    pass


@app.on_event("startup")
def connect_db():
    pass


def chat(message):
    emit("message", message)


router.register("orders", OrderViewSet)
event_router.register("orders", OrderViewSet)


class View:
    def dispatch(self, request):
        return self.handle(request)

    def post(self, request):
        return self.dispatch(request)
