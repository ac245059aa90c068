"""Cross-cutting building blocks used by every domain.

* :mod:`.money` – the :class:`~.money.Money` value type and its API schema
* :mod:`.pagination` – ``page``/``page_size`` parameters and the ``Page`` envelope
* :mod:`.errors` – exception hierarchy and JSON error handlers
* :mod:`.auth` – ``get_current_customer`` and ``require_admin`` dependencies
* :mod:`.events` – the in-process publish/subscribe event bus
"""

from sample_monolith.common.errors import (
    AppError,
    AuthenticationError,
    BusinessRuleError,
    ConflictError,
    NotFoundError,
    OutOfStockError,
    PaymentDeclinedError,
    PermissionDeniedError,
)
from sample_monolith.common.money import Money, MoneyOut
from sample_monolith.common.pagination import Page, PageParams, page_params, paginate

__all__ = [
    "AppError",
    "AuthenticationError",
    "BusinessRuleError",
    "ConflictError",
    "Money",
    "MoneyOut",
    "NotFoundError",
    "OutOfStockError",
    "Page",
    "PageParams",
    "PaymentDeclinedError",
    "PermissionDeniedError",
    "page_params",
    "paginate",
]
