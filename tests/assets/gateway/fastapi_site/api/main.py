import os

from fastapi import FastAPI

from api import files, home, items, legacy, plugins, users
from api.config import settings

app = FastAPI()
app.include_router(home.router)
app.include_router(items.router, prefix=settings.API_PREFIX)
app.include_router(users.router, prefix=settings.API_PREFIX)
app.include_router(files.router)
app.include_router(legacy.router, prefix=settings.API_PREFIX)
# a prefix the code cannot tell: the gateway leaves these routes with the monolith
app.include_router(plugins.router, prefix=os.environ.get("PLUGINS_PREFIX", "/plugins"))
