from fastapi import APIRouter

a = APIRouter(prefix="/a")
b = APIRouter(prefix="/b")
a.include_router(b)
b.include_router(a)


@a.get("/x")
def ax():
    return {}
