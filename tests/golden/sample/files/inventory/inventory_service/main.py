"""The inventory service: the monolith's application, answering what the gateway gives inventory, with
its internal endpoints, health checks and metrics.

Run: uvicorn inventory_service.main:app --host 0.0.0.0 --port $PORT
"""

from inventory_service import manifest
from inventory_service.runtime.host import build

application = app = build(manifest)
