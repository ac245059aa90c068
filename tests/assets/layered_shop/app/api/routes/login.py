from fastapi import APIRouter, Depends

from app import crud
from app.api.deps import get_db
from app.models import Message

router = APIRouter(tags=["login"])


@router.post("/login/access-token")
def login_access_token(email: str, password: str, session=Depends(get_db)) -> Message:
    user = crud.authenticate(session=session, email=email, password=password)
    return Message(message="ok" if user else "no")


@router.post("/password-recovery/{email}")
def recover_password(email: str, session=Depends(get_db)) -> Message:
    user = crud.get_user_by_email(session=session, email=email)
    return Message(message=str(user is not None))
