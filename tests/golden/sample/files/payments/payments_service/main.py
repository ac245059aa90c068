"""The payments service: the monolith's application, answering what the gateway gives payments, with
its internal endpoints, health checks and metrics.

Run: uvicorn payments_service.main:app --host 0.0.0.0 --port $PORT
"""

from payments_service import manifest
from payments_service.runtime.host import build

application = app = build(manifest)
