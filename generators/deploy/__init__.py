"""Deployment artifacts of the generated system, all rendered from one ServicePlan: Dockerfiles,
docker-compose, Kubernetes (kustomize base and overlays, Gateway API), Jenkins pipelines,
Prometheus (scraping, alert and SLO rules with their unit tests, Alertmanager) and Grafana."""

from __future__ import annotations

from migrator.model.service_plan import ServicePlan

from .compose import render_compose
from .docker import render_docker
from .grafana import render_grafana
from .jenkins import render_jenkins
from .kustomize import render_kubernetes
from .prometheus import render_prometheus
from .rule_tests import render_rule_tests
from migrator.model.deployment import DeployOptions, Topology

__all__ = ["DeployOptions", "render_deployment"]


def render_deployment(plan: ServicePlan, options: DeployOptions | None = None) -> dict[str, str]:
    """``{path under OUT: text}`` for every deployment artifact of ``plan``."""
    topology = Topology(plan, options or DeployOptions())
    files: dict[str, str] = {}
    for render in (render_docker, render_compose, render_kubernetes, render_jenkins, render_prometheus, render_rule_tests, render_grafana):
        files.update(render(topology))
    return dict(sorted(files.items()))
