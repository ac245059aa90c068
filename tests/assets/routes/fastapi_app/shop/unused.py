from fastapi import APIRouter

router = APIRouter(prefix="/unused")


@router.get("/x")
def x():
    return {}
