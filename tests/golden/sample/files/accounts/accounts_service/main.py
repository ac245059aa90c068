"""The accounts service: the monolith's application restricted to what accounts owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn accounts_service.main:app --host 0.0.0.0 --port $PORT
"""

from accounts_service import manifest
from accounts_service.runtime.service import build

app = build(manifest)
