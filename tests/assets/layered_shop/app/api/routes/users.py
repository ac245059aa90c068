from fastapi import APIRouter, Depends

from app import crud
from app.api.deps import get_db
from app.models import User, UserCreate

router = APIRouter(prefix="/users", tags=["users"])


@router.post("/")
def create_user(user_in: UserCreate, session=Depends(get_db)) -> User:
    return crud.create_user(session=session, user_create=user_in)


@router.get("/{email}")
def read_user(email: str, session=Depends(get_db)) -> User | None:
    return crud.get_user_by_email(session=session, email=email)
