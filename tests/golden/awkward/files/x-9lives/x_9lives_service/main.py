"""The x-9lives service: the monolith's application restricted to what x-9lives owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn x_9lives_service.main:app --host 0.0.0.0 --port $PORT
"""

from x_9lives_service import manifest
from x_9lives_service.runtime.service import build

app = build(manifest)
