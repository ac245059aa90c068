"""The yes service: the monolith's application restricted to what yes owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn yes_service.main:app --host 0.0.0.0 --port $PORT
"""

from yes_service import manifest
from yes_service.runtime.service import build

app = build(manifest)
