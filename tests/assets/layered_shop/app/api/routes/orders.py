from fastapi import APIRouter, Depends
from sqlmodel import select

from app import crud
from app.api.deps import get_db
from app.models import Order, OrderCreate, User

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("/")
def read_orders(session=Depends(get_db)) -> list[Order]:
    return list(session.exec(select(Order)).all())


@router.post("/")
def place_order(order_in: OrderCreate, session=Depends(get_db)) -> Order:
    buyer = session.exec(select(User)).first()
    return crud.place_order(session=session, order_in=order_in, buyer=buyer)
