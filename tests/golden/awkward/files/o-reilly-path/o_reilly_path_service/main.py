"""The o-reilly-path service: the monolith's application, answering what the gateway gives o-reilly-path, with
its internal endpoints, health checks and metrics.

Run: uvicorn o_reilly_path_service.main:app --host 0.0.0.0 --port $PORT
"""

from o_reilly_path_service import manifest
from o_reilly_path_service.runtime.host import build

application = app = build(manifest)
