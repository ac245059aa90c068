"""The a service: the monolith's application restricted to what a owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn a_service.main:app --host 0.0.0.0 --port $PORT
"""

from a_service import manifest
from a_service.runtime.service import build

app = build(manifest)
