"""The deployment service: the monolith's application restricted to what deployment owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn deployment_service.main:app --host 0.0.0.0 --port $PORT
"""

from deployment_service import manifest
from deployment_service.runtime.service import build

app = build(manifest)
