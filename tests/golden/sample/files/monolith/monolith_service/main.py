"""The monolith service: the monolith's application restricted to what monolith owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn monolith_service.main:app --host 0.0.0.0 --port $PORT
"""

from monolith_service import manifest
from monolith_service.runtime.service import build

app = build(manifest)
