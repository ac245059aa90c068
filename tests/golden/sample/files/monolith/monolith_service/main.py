"""The monolith service: the monolith's application, answering what the gateway gives monolith, with
its internal endpoints, health checks and metrics.

Run: uvicorn monolith_service.main:app --host 0.0.0.0 --port $PORT
"""

from monolith_service import manifest
from monolith_service.runtime.host import build

application = app = build(manifest)
