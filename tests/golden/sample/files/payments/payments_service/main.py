"""The payments service: the monolith's application restricted to what payments owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn payments_service.main:app --host 0.0.0.0 --port $PORT
"""

from payments_service import manifest
from payments_service.runtime.service import build

app = build(manifest)
