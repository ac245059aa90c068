"""The null service: the monolith's application restricted to what null owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn null_service.main:app --host 0.0.0.0 --port $PORT
"""

from null_service import manifest
from null_service.runtime.service import build

app = build(manifest)
