from fastapi import APIRouter

from .items import router as items_router

router = APIRouter(prefix="/orders")


@router.get("")
def list_orders():
    return []


@router.post("/{order_id}/cancel")
async def cancel(order_id: int):
    return {}


@router.api_route("/{order_id}", methods=["GET", "PUT"])
def order(order_id: int):
    return {}


router.include_router(items_router, prefix="/{order_id}")
