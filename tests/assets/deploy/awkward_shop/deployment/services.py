"""What other parts call."""

from awkward_shop.deployment.models import Deployment


def latest_deployment() -> str:
    return Deployment.__tablename__
