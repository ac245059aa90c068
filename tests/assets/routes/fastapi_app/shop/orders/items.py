from fastapi import APIRouter

router = APIRouter(prefix="/items")


@router.delete("/{item_id}")
def remove_item(order_id: int, item_id: int):
    return {}
