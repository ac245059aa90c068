from fastapi import APIRouter

router = APIRouter()


@router.get("/list")
def plugins():
    return []
