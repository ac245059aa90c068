from fastapi import APIRouter, Depends
from sqlmodel import select

from app import crud
from app.api.deps import get_db
from app.models import Product, ProductCreate

router = APIRouter(prefix="/products", tags=["products"])


@router.get("/")
def read_products(session=Depends(get_db)) -> list[Product]:
    return list(session.exec(select(Product)).all())


@router.post("/")
def create_product(product_in: ProductCreate, session=Depends(get_db)) -> Product:
    return crud.create_product(session=session, product_in=product_in)
