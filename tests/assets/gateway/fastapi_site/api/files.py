from fastapi import APIRouter

router = APIRouter(prefix="/files")


@router.get("/{rest:path}")
def file(rest: str):
    return rest
