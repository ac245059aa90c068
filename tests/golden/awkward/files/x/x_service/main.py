"""The x service: the monolith's application restricted to what x owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn x_service.main:app --host 0.0.0.0 --port $PORT
"""

from x_service import manifest
from x_service.runtime.service import build

app = build(manifest)
