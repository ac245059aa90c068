"""The cafe-creme-home service: the monolith's application, answering what the gateway gives cafe-creme-home, with
its internal endpoints, health checks and metrics.

Run: uvicorn cafe_creme_home_service.main:app --host 0.0.0.0 --port $PORT
"""

from cafe_creme_home_service import manifest
from cafe_creme_home_service.runtime.host import build

application = app = build(manifest)
