"""Routes of the deployments."""

from fastapi import APIRouter

from awkward_shop.deployment.models import ConfigMap, Deployment

router = APIRouter()


@router.get("/api/deployments/{name}:rollback")
def rollback(name: str) -> dict:
    return {"name": name, "kind": Deployment.__name__, "config": ConfigMap.__tablename__}


@router.get("/api/deployments")
def list_deployments() -> list:
    return []
