"""The cafe-creme-home service: the monolith's application restricted to what cafe-creme-home owns, with its
internal endpoints, event bus, health checks and metrics.

Run: uvicorn cafe_creme_home_service.main:app --host 0.0.0.0 --port $PORT
"""

from cafe_creme_home_service import manifest
from cafe_creme_home_service.runtime.service import build

app = build(manifest)
