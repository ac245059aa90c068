"""The deployment service: the monolith's application, answering what the gateway gives deployment, with
its internal endpoints, health checks and metrics.

Run: uvicorn deployment_service.main:app --host 0.0.0.0 --port $PORT
"""

from deployment_service import manifest
from deployment_service.runtime.host import build

application = app = build(manifest)
