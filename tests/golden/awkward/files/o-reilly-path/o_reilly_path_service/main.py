"""The o-reilly-path service: the monolith's application restricted to what o-reilly-path owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn o_reilly_path_service.main:app --host 0.0.0.0 --port $PORT
"""

from o_reilly_path_service import manifest
from o_reilly_path_service.runtime.service import build

app = build(manifest)
