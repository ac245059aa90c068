"""The yes service: the monolith's application, answering what the gateway gives yes, with
its internal endpoints, health checks and metrics.

Run: uvicorn yes_service.main:app --host 0.0.0.0 --port $PORT
"""

from yes_service import manifest
from yes_service.runtime.host import build

application = app = build(manifest)
