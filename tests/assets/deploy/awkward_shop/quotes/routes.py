"""Routes with quotes, a dollar and a backslash in their paths."""

from fastapi import APIRouter

router = APIRouter()


@router.get("/api/it's/{id}")
def its(id: str) -> dict:
    return {"id": id}


@router.get('/api/say-"hi"/$HOME')
def say_hi() -> dict:
    return {"said": 'hi'}
