"""The catalog service: the monolith's application, answering what the gateway gives catalog, with
its internal endpoints, health checks and metrics.

Run: uvicorn catalog_service.main:app --host 0.0.0.0 --port $PORT
"""

from catalog_service import manifest
from catalog_service.runtime.host import build

application = app = build(manifest)
