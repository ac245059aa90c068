"""A small, strict ``kustomize build`` for the tests (no kustomize binary is installed here).

It implements exactly the parts of kustomize the generated tree uses, as kustomize documents them:
``resources`` (files and folders), ``components``, ``namespace``, ``labels`` (pairs,
includeSelectors, includeTemplates), ``images`` (newName, newTag, digest) and ``patches`` (JSON 6902
operations, targeted by kind and name). Anything else in a kustomization is an error, so the
generated tree cannot silently rely on a feature this builder would ignore. Where ``kubectl
kustomize`` exists, the tests compare the two builds.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

KNOWN = {"apiVersion", "kind", "resources", "components", "namespace", "labels", "images", "patches"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "GatewayClass"}
POD_TEMPLATES = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}


class KustomizeError(Exception):
    pass


def build(folder: Path) -> list[dict[str, Any]]:
    """The objects ``kustomize build folder`` prints (order aside)."""
    return _build(folder.resolve(), component=False)


def _build(folder: Path, *, component: bool) -> list[dict[str, Any]]:
    path = folder / "kustomization.yaml"
    if not path.is_file():
        raise KustomizeError(f"{folder}: no kustomization.yaml")
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(spec) - KNOWN
    if unknown:
        raise KustomizeError(f"{path}: fields this builder does not implement: {sorted(unknown)}")
    expected = "Component" if component else "Kustomization"
    if spec.get("kind", "Kustomization") != expected:
        raise KustomizeError(f"{path}: kind {spec.get('kind')!r}, expected {expected}")
    objects: list[dict[str, Any]] = []
    for entry in spec.get("resources", []):
        target = (folder / entry).resolve()
        if target.is_dir():
            objects += _build(target, component=False)
        elif target.is_file():
            objects += [doc for doc in yaml.safe_load_all(target.read_text(encoding="utf-8")) if doc]
        else:
            raise KustomizeError(f"{path}: resource {entry} does not exist")
    for entry in spec.get("components", []):
        objects += _build((folder / entry).resolve(), component=True)
    _check_unique(objects, path)
    for patch in spec.get("patches", []):
        _patch(objects, patch, path)
    for image in spec.get("images", []):
        _image(objects, image)
    for labels in spec.get("labels", []):
        _labels(objects, labels)
    if "namespace" in spec:
        _namespace(objects, spec["namespace"])
    return objects


def _key(obj: dict[str, Any]) -> tuple[str, str, str]:
    meta = obj.get("metadata") or {}
    return obj["kind"], meta.get("namespace", ""), meta["name"]


def _check_unique(objects: list[dict[str, Any]], path: Path) -> None:
    seen = set()
    for obj in objects:
        if _key(obj) in seen:
            raise KustomizeError(f"{path}: {_key(obj)} appears twice")
        seen.add(_key(obj))


def _patch(objects: list[dict[str, Any]], patch: dict[str, Any], path: Path) -> None:
    if set(patch) - {"target", "patch"} or set(patch.get("target", {})) - {"kind", "name"}:
        raise KustomizeError(f"{path}: only JSON 6902 patches targeted by kind and name are implemented")
    operations = yaml.safe_load(patch["patch"])
    target = patch["target"]
    matched = [o for o in objects if o["kind"] == target.get("kind", o["kind"]) and o["metadata"]["name"] == target.get("name", o["metadata"]["name"])]
    if not matched:
        raise KustomizeError(f"{path}: patch target {target} matches nothing")
    for obj in matched:
        for operation in operations:
            _apply(obj, operation)


def _apply(obj: dict[str, Any], operation: dict[str, Any]) -> None:
    """One JSON patch operation (RFC 6902: add, replace, remove)."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in operation["path"].lstrip("/").split("/")]
    parent: Any = obj
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last = parts[-1]
    op = operation["op"]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if op == "add":
            parent.insert(index, copy.deepcopy(operation["value"]))
        elif op == "replace":
            parent[index] = copy.deepcopy(operation["value"])
        elif op == "remove":
            del parent[index]
        else:
            raise KustomizeError(f"unsupported op {op}")
        return
    if op in ("replace", "remove") and last not in parent:
        raise KustomizeError(f"{op} of a missing path {operation['path']}")
    if op in ("add", "replace"):
        parent[last] = copy.deepcopy(operation["value"])
    elif op == "remove":
        del parent[last]
    else:
        raise KustomizeError(f"unsupported op {op}")


def _containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    if obj["kind"] in POD_TEMPLATES:
        spec = obj["spec"]["template"]["spec"]
    elif obj["kind"] == "Pod":
        spec = obj["spec"]
    else:
        return []
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def _image(objects: list[dict[str, Any]], image: dict[str, Any]) -> None:
    for obj in objects:
        for container in _containers(obj):
            reference = container["image"]
            name = reference.split("@")[0]
            name = name.rsplit(":", 1)[0] if ":" in name.rsplit("/", 1)[-1] else name
            if name != image["name"]:
                continue
            tag = reference[len(name):]
            new_name = image.get("newName", name)
            if "digest" in image:
                container["image"] = f"{new_name}@{image['digest']}"
            elif "newTag" in image:
                container["image"] = f"{new_name}:{image['newTag']}"
            else:
                container["image"] = new_name + tag


def _labels(objects: list[dict[str, Any]], labels: dict[str, Any]) -> None:
    pairs = labels["pairs"]
    if labels.get("includeSelectors"):
        raise KustomizeError("includeSelectors: true is not implemented")
    for obj in objects:
        obj.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
        if labels.get("includeTemplates") and obj["kind"] in POD_TEMPLATES:
            obj["spec"]["template"].setdefault("metadata", {}).setdefault("labels", {}).update(pairs)


def _namespace(objects: list[dict[str, Any]], namespace: str) -> None:
    for obj in objects:
        if obj["kind"] == "Namespace":
            obj["metadata"]["name"] = namespace
        elif obj["kind"] not in CLUSTER_SCOPED:
            obj["metadata"]["namespace"] = namespace
