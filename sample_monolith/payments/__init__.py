"""Payments: card payments through a (fake) provider, idempotency keys and refunds."""
