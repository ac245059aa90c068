"""Left in the monolith: export sits where the users service's /users/{user_id} would take it."""

from fastapi import APIRouter

router = APIRouter(prefix="/users")


@router.get("/export")
def export():
    return []
