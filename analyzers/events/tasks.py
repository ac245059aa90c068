"""Tasks: decorated functions, registered periodic jobs, and the framework each belongs to."""

from __future__ import annotations

from typing import Any

from analyzers.events.facts import Arg, Site
from analyzers.events.link_base import LinkerBase
from analyzers.events.site_args import _first_kw, _package_framework, _text
from analyzers.events.triggers import is_schedule_decorator, is_schedule_name
from analyzers.events.values import _Module
from analyzers.events.vocabulary import (
    EVENT_NAME,
    FRAMEWORK_PACKAGES,
    JOB_KEYWORDS,
    NOT_SCHEDULE_OPTIONS,
    SIGNAL_DECORATORS,
    SUBSCRIBE_DECORATORS,
    TASK_DECORATORS,
)
from analyzers.events.written import _last
from migrator.model.facts import Edge, EdgeKind, NodeKind


class TaskLinker(LinkerBase):
    """Task nodes with their HANDLES edges, from decorators and job registrations."""

    def task(self, function: str, framework: str, where: _Module, site: Site, **attrs: Any) -> str:
        """The task id of ``function``; emits the task node and its HANDLES edge once."""
        task_id = self.tasks.get(function)
        if task_id is None:
            task_id = self.tasks[function] = f"task:{function}"
            module = self.names.module_prefix(function)
            definition = self.names.definition(function)
            place = (self.project.files[module].relpath, definition.line) if module and definition else None
            self.node(task_id, NodeKind.TASK, {"framework": framework}, place, definition=True)
            evidence = f"{place[0]}:{place[1]}" if place else where.place(site)
            self.out.edges.append(Edge(task_id, function, EdgeKind.HANDLES, 1.0, (evidence,)))
            self.task_names.setdefault(function, task_id)
        pending = self.pending[task_id]
        for key, value in attrs.items():
            if value:
                pending.attrs.setdefault(key, value)
        if attrs.get("name"):
            self.task_names.setdefault(attrs["name"], task_id)
        return task_id

    def _task_decorator(self, where: _Module, site: Site) -> None:
        name = _last(site.callee)
        if name not in TASK_DECORATORS and (name in SUBSCRIBE_DECORATORS or name in SIGNAL_DECORATORS):
            return
        function = f"{where.name}.{site.scope}"
        definition = self.names.definition(function)
        if definition is None or site.callee not in definition.decorators:
            return  # a decorated nested function: no node of the graph to run the task
        framework = self._task_framework(where, site, name)
        if framework is None:
            return
        label = _first_kw(site, ("name", "id", "actor_name"))
        schedule = self.schedule(where, site, label) if is_schedule_decorator(name) else ""
        self.task(function, framework, where, site, schedule=schedule, name=_text(label))

    def _task_framework(self, where: _Module, site: Site, name: str) -> str | None:
        """Which framework a task decorator belongs to, or None when it is not one."""
        resolved = self.resolve(where, site.callee, site)
        if self.is_external(resolved):
            return _package_framework(resolved)
        owner = site.callee.rpartition(".")[0]
        if owner:
            app = self.resolve(where, owner, site)
            if app in self.apps:
                return self.apps[app]
            if self.is_external(app):
                return _package_framework(app)
        lowered = site.callee.lower()
        for package in ("huey", "dramatiq", "apscheduler", "celery"):
            if package in lowered:
                return FRAMEWORK_PACKAGES[package]
        if name == "job" or name not in TASK_DECORATORS:
            return "scheduler"  # an in-house decorator of ours (an external one resolved above)
        return TASK_DECORATORS[name]

    def _job_registration(self, where: _Module, site: Site) -> None:
        """``ScheduledJob("nightly", fn)``, ``scheduler.add_job(fn, "cron")``, ``every(5).do(fn)``."""
        name = _last(site.callee)
        if not (is_schedule_name(name) or (name == "do" and "every()" in site.callee)):
            return
        candidates = [a for k, a in site.kwargs if k in JOB_KEYWORDS] + list(site.args)
        function = self._first_function(where, site, candidates)
        if function is None:
            return
        framework = self._registration_framework(where, site, name)
        if framework is None:
            return
        label = _first_kw(site, ("name", "id"))
        if label is None and framework == "scheduler":
            # ``ScheduledJob("nightly-report", fn)``: a name-like first string names the job
            label = next((a for a in site.args if a.tag == "str"), None)
            label = label if label and EVENT_NAME.fullmatch(label.value) else None
        self.task(function, framework, where, site, schedule=self.schedule(where, site, label), name=_text(label))

    def schedule(self, where: _Module, site: Site, label: Arg | None) -> str:
        """The schedule as written: trigger and timing arguments, not the function or the name."""
        if site.text:
            return site.text
        parts: list[str] = []
        for arg in site.args:
            if arg is label or arg.tag not in ("str", "name", "other") or self.callable(where, arg, site):
                continue
            parts.append(arg.value)
        parts += [
            f"{key}={arg.value}"
            for key, arg in site.kwargs
            if key not in NOT_SCHEDULE_OPTIONS and arg.tag in ("str", "name", "other")
        ]
        return " ".join(p for p in parts if p)

    def _first_function(self, where: _Module, site: Site, candidates: list[Arg]) -> str | None:
        for arg in candidates:
            found = self.callable(where, arg, site) if arg.tag in ("name", "str") else None
            if found and self.names.kind(found) != "class":
                return found
        return None

    def _registration_framework(self, where: _Module, site: Site, name: str) -> str | None:
        head = site.callee.partition("()")[0]
        resolved = self.resolve(where, head, site)
        if self.is_external(resolved):
            return _package_framework(resolved)
        owner = head.rpartition(".")[0] if "()" not in site.callee else ""
        app = self.resolve(where, owner, site) if owner else None
        if app in self.apps:
            return self.apps[app]
        if self.is_external(app):
            return _package_framework(app)
        return "apscheduler" if name == "add_job" and "scheduler" in site.callee.lower() else "scheduler"
