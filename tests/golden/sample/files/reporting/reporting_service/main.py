"""The reporting service: the monolith's application restricted to what reporting owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn reporting_service.main:app --host 0.0.0.0 --port $PORT
"""

from reporting_service import manifest
from reporting_service.runtime.service import build

app = build(manifest)
