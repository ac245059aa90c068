"""The reporting service: the monolith's application, answering what the gateway gives reporting, with
its internal endpoints, health checks and metrics.

Run: uvicorn reporting_service.main:app --host 0.0.0.0 --port $PORT
"""

from reporting_service import manifest
from reporting_service.runtime.host import build

application = app = build(manifest)
