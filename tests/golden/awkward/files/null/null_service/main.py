"""The null service: the monolith's application, answering what the gateway gives null, with
its internal endpoints, health checks and metrics.

Run: uvicorn null_service.main:app --host 0.0.0.0 --port $PORT
"""

from null_service import manifest
from null_service.runtime.host import build

application = app = build(manifest)
