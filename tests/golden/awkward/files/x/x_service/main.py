"""The x service: the monolith's application, answering what the gateway gives x, with
its internal endpoints, health checks and metrics.

Run: uvicorn x_service.main:app --host 0.0.0.0 --port $PORT
"""

from x_service import manifest
from x_service.runtime.host import build

application = app = build(manifest)
