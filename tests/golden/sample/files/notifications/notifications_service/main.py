"""The notifications service: the monolith's application, answering what the gateway gives notifications, with
its internal endpoints, health checks and metrics.

Run: uvicorn notifications_service.main:app --host 0.0.0.0 --port $PORT
"""

from notifications_service import manifest
from notifications_service.runtime.host import build

application = app = build(manifest)
