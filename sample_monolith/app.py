"""Application factory."""

from __future__ import annotations

import importlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from sample_monolith import __version__
from sample_monolith.accounts.routes import router as accounts_router
from sample_monolith.admin import router as admin_router
from sample_monolith.cart.routes import router as cart_router
from sample_monolith.catalog.routes import router as catalog_router
from sample_monolith.common.errors import install_error_handlers
from sample_monolith.config import Settings
from sample_monolith.db import Database
from sample_monolith.inventory.routes import router as inventory_router
from sample_monolith.notifications.routes import router as notifications_router
from sample_monolith.orders.routes import router as orders_router
from sample_monolith.payments.routes import router as payments_router
from sample_monolith.reporting.routes import router as reporting_router
from sample_monolith.reviews.routes import router as reviews_router
from sample_monolith.scheduler import Scheduler, default_jobs
from sample_monolith.shipping.routes import router as shipping_router

logger = logging.getLogger(__name__)

#: Importing these modules registers their ``@subscribe`` handlers.
HANDLER_MODULES = (
    "sample_monolith.inventory.handlers",
    "sample_monolith.orders.handlers",
    "sample_monolith.notifications.handlers",
    "sample_monolith.reporting.handlers",
)

ROUTERS = (
    accounts_router,
    catalog_router,
    inventory_router,
    cart_router,
    orders_router,
    payments_router,
    shipping_router,
    notifications_router,
    reviews_router,
    reporting_router,
    admin_router,
)


def register_event_handlers() -> None:
    for module in HANDLER_MODULES:
        importlib.import_module(module)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the FastAPI application.  Tables are created on start-up."""
    settings = settings or Settings.from_env()
    database = Database(settings.database_url, echo=settings.sql_echo)
    scheduler = Scheduler(database, default_jobs(), interval_seconds=settings.scheduler_interval_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        database.create_all()
        if settings.scheduler_enabled:
            scheduler.start()
        try:
            yield
        finally:
            scheduler.stop()
            database.dispose()

    app = FastAPI(
        title=settings.shop_name,
        version=__version__,
        description="The Sample Shop monolith: catalog, cart, checkout, payments, shipping and more.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.scheduler = scheduler

    register_event_handlers()
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)

    @app.middleware("http")
    async def request_id_and_timing(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["X-Request-ID"] = request_id
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    @app.get("/healthz", tags=["platform"])
    def healthz() -> JSONResponse:
        """Liveness + database connectivity check for load balancers."""
        try:
            database.ping()
        except Exception:  # noqa: BLE001
            logger.exception("health check failed")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "version": __version__})

    return app
