"""The a service: the monolith's application, answering what the gateway gives a, with
its internal endpoints, health checks and metrics.

Run: uvicorn a_service.main:app --host 0.0.0.0 --port $PORT
"""

from a_service import manifest
from a_service.runtime.host import build

application = app = build(manifest)
