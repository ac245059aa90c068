"""Application factory."""

from fastapi import FastAPI

from awkward_shop.café.menu import router as menu_router
from awkward_shop.deployment.routes import router as deployment_router
from awkward_shop.quotes.routes import router as quotes_router


def create_app() -> FastAPI:
    app = FastAPI(title="awkward \"shop\" ${HOME}")
    app.include_router(menu_router)
    app.include_router(deployment_router)
    app.include_router(quotes_router)
    return app
