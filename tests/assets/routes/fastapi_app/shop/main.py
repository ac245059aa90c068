from fastapi import FastAPI

import shop.catalog.routes
from shop import users
from shop.health import health
from shop.orders.routes import router as orders_router
from shop.settings import API_PREFIX

app = FastAPI()
app.include_router(orders_router, prefix=API_PREFIX)
app.include_router(shop.catalog.routes.router, prefix="/api/v1")

ROUTERS = (users.router,)

for each in ROUTERS:
    app.include_router(each)

app.add_api_route("/health", health, methods=["GET", "HEAD"])


@app.get("/")
def root():
    return {}
