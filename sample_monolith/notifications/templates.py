"""E-mail templates (plain text, ``str.format`` placeholders)."""

from __future__ import annotations

from typing import Any

TEMPLATES: dict[str, tuple[str, str]] = {
    "welcome": (
        "Welcome to {shop_name}, {first_name}!",
        "Hi {first_name},\n\nthanks for creating an account at {shop_name}.\n",
    ),
    "order_confirmation": (
        "Your order {order_number}",
        "Hi {first_name},\n\nwe received your order {order_number} over {total}.\n"
        "{lines}\n\nPlease complete the payment before {payment_due_at} UTC.\n",
    ),
    "payment_receipt": (
        "Payment received for order {order_number}",
        "We received your payment of {amount} (reference {payment_reference}).\n",
    ),
    "order_cancelled": (
        "Order {order_number} cancelled",
        "Your order {order_number} was cancelled ({reason}). You have not been charged.\n",
    ),
    "shipment_dispatched": (
        "Order {order_number} is on its way",
        "Your parcel was handed to {carrier}. Tracking number: {tracking_number}.\n"
        "Estimated delivery: {estimated_delivery}.\n",
    ),
    "refund_issued": (
        "Refund for order {order_number}",
        "We refunded {amount} to your card. It may take a few days to show up.\n",
    ),
}


class UnknownTemplateError(KeyError):
    pass


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """Return ``(subject, body)``; missing placeholders render as empty strings."""
    try:
        subject_tpl, body_tpl = TEMPLATES[template]
    except KeyError as exc:
        raise UnknownTemplateError(template) from exc
    safe = _DefaultDict(context)
    return subject_tpl.format_map(safe), body_tpl.format_map(safe)


class _DefaultDict(dict):
    def __missing__(self, key: str) -> str:
        return ""
