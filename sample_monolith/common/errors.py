"""Application exception hierarchy and the JSON error handlers.

Services raise these exceptions; routes never build error responses by hand.
Every error response has the shape::

    {"detail": "<message>", "error": {"code": "<machine code>", "message": "...", ...extra}}
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)


class AppError(Exception):
    """Base class for errors that map onto an HTTP response."""

    status_code: int = 400
    code: str = "bad_request"
    default_message: str = "Bad request"

    def __init__(self, message: str | None = None, *, code: str | None = None, **extra: Any) -> None:
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        self.extra = extra
        super().__init__(self.message)

    @property
    def headers(self) -> dict[str, str] | None:
        return None


class NotFoundError(AppError):
    status_code = 404
    code = "not_found"
    default_message = "Resource not found"


class ConflictError(AppError):
    status_code = 409
    code = "conflict"
    default_message = "Request conflicts with the current state"


class OutOfStockError(ConflictError):
    code = "out_of_stock"
    default_message = "Not enough stock"


class PaymentDeclinedError(AppError):
    status_code = 402
    code = "payment_declined"
    default_message = "Payment was declined"


class AuthenticationError(AppError):
    status_code = 401
    code = "not_authenticated"
    default_message = "Authentication required"

    @property
    def headers(self) -> dict[str, str] | None:
        return {"WWW-Authenticate": "Bearer"}


class PermissionDeniedError(AppError):
    status_code = 403
    code = "forbidden"
    default_message = "You are not allowed to do this"


class BusinessRuleError(AppError):
    """Well-formed input that violates a business rule (HTTP 422)."""

    status_code = 422
    code = "unprocessable"
    default_message = "Request cannot be processed"


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"detail": message, "error": {"code": code, "message": message, **extra}}


async def _app_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    if exc.status_code >= 500:
        logger.error("application error: %s", exc.message)
    return JSONResponse(
        status_code=exc.status_code,
        content=jsonable_encoder(error_body(exc.code, exc.message, **exc.extra)),
        headers=exc.headers,
    )


async def _validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = jsonable_encoder(exc.errors(), custom_encoder={Exception: str})
    body = error_body("validation_error", "Request validation failed", fields=errors)
    body["detail"] = errors  # keep FastAPI's familiar shape for API clients
    return JSONResponse(status_code=422, content=body)


async def _http_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "http_error"
    )
    return JSONResponse(
        status_code=exc.status_code,
        content=error_body(code, str(exc.detail)),
        headers=getattr(exc, "headers", None),
    )


async def _id_out_of_range_handler(_request: Request, exc: Exception) -> JSONResponse:
    """An id beyond the database's integer range names nothing that can exist."""
    return JSONResponse(status_code=404, content=error_body("not_found", "No such resource (id out of range)"))


async def _integrity_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    """A write the database refused (a required field set to null, a duplicate key)."""
    logger.info("integrity error: %s", exc)
    return JSONResponse(status_code=422, content=error_body("constraint_violation", "The change breaks a data constraint"))


def install_error_handlers(app: FastAPI) -> None:
    from sqlalchemy.exc import IntegrityError

    app.add_exception_handler(OverflowError, _id_out_of_range_handler)
    app.add_exception_handler(IntegrityError, _integrity_error_handler)
    app.add_exception_handler(AppError, _app_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
