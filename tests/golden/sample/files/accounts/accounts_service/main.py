"""The accounts service: the monolith's application, answering what the gateway gives accounts, with
its internal endpoints, health checks and metrics.

Run: uvicorn accounts_service.main:app --host 0.0.0.0 --port $PORT
"""

from accounts_service import manifest
from accounts_service.runtime.host import build

application = app = build(manifest)
