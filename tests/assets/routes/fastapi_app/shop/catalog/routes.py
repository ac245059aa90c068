from fastapi import APIRouter

router = APIRouter(prefix="/catalog")


@router.get("/products")
def products():
    return []
