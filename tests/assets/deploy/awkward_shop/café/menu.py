"""Routes whose paths hold braces, a colon and non-ASCII text."""

from fastapi import APIRouter

from awkward_shop.café.models import Crème
from awkward_shop.deployment.services import latest_deployment

router = APIRouter()


@router.get("/api/café/{item_id}:publish")
def publish_item(item_id: int) -> dict:
    return {"item": item_id, "model": Crème.__tablename__, "deployment": latest_deployment()}


@router.get("/api/café")
def list_items() -> list:
    return []
