from fastapi import APIRouter

router = APIRouter(prefix="/items")


@router.get("/")
def listing():
    return []


@router.get("/{item_id}")
def item(item_id: str):
    return item_id


@router.get("/{item_id:int}/history")
def history(item_id: int):
    return item_id


@router.get("/by-code/{code:uuid}")
def by_code(code):
    return code
