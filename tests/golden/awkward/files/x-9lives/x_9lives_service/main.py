"""The x-9lives service: the monolith's application, answering what the gateway gives x-9lives, with
its internal endpoints, health checks and metrics.

Run: uvicorn x_9lives_service.main:app --host 0.0.0.0 --port $PORT
"""

from x_9lives_service import manifest
from x_9lives_service.runtime.host import build

application = app = build(manifest)
