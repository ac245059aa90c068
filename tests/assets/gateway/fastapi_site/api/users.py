from fastapi import APIRouter

router = APIRouter(prefix="/users")


@router.get("/me")
def me():
    return "me"


@router.get("/{user_id}")
def user(user_id: int):
    return user_id
