"""The reviews service: the monolith's application, answering what the gateway gives reviews, with
its internal endpoints, health checks and metrics.

Run: uvicorn reviews_service.main:app --host 0.0.0.0 --port $PORT
"""

from reviews_service import manifest
from reviews_service.runtime.host import build

application = app = build(manifest)
