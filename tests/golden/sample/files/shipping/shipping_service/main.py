"""The shipping service: the monolith's application, answering what the gateway gives shipping, with
its internal endpoints, health checks and metrics.

Run: uvicorn shipping_service.main:app --host 0.0.0.0 --port $PORT
"""

from shipping_service import manifest
from shipping_service.runtime.host import build

application = app = build(manifest)
