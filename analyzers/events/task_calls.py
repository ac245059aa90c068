"""Callers of tasks (``.delay``, ``enqueue``, ``send_task``) and Celery beat schedules."""

from __future__ import annotations

from analyzers.events.facts import Site
from analyzers.events.site_args import _first_kw, _kw, _package_framework
from analyzers.events.tasks import TaskLinker
from analyzers.events.values import _Module
from analyzers.events.vocabulary import CELERY_ONLY_METHODS
from analyzers.events.written import _last
from migrator.model.facts import EdgeKind, NodeKind


class TaskCallLinker(TaskLinker):
    """Who runs a task, and when beat or ``add_periodic_task`` schedules it."""

    def _task_call(self, where: _Module, site: Site, owner: str, method: str, caller: str) -> None:
        function = self._as_callable(self.names.resolve(where.name, owner, scope=caller))
        if function is None or self.names.kind(function) == "class":
            return
        if function not in self.tasks and method not in CELERY_ONLY_METHODS:
            return
        # ``.delay`` exists only on Celery tasks: a decorator we did not recognise made one
        inferred = function not in self.tasks
        task_id = self.task(function, "celery", where, site, inferred=inferred)
        self.edge(caller, task_id, EdgeKind.PUBLISHES, where, site, via=method)

    def _enqueue(self, where: _Module, site: Site, caller: str) -> None:
        name = _last(site.callee)
        resolved = self.resolve(where, site.callee, site)
        if self.is_external(resolved) and _package_framework(resolved) is None:
            return
        position = 1 if name in ("enqueue_in", "enqueue_at") else 0
        arg = _first_kw(site, ("func", "f")) or (site.args[position] if len(site.args) > position else None)
        function = self.callable(where, arg, site) if arg else None
        if function is None or self.names.kind(function) == "class":
            return
        task_id = self.task(function, "rq", where, site)
        self.edge(caller, task_id, EdgeKind.PUBLISHES, where, site, via=name)

    def _send_task(self, where: _Module, site: Site, caller: str) -> None:
        arg = site.args[0] if site.args else _kw(site, "name")
        if arg is None or arg.tag != "str":
            return
        task_id = self.task_names.get(arg.value)
        if task_id is None:
            function = self._as_callable(arg.value)
            if function is not None and self.names.kind(function) != "class":
                task_id = self.task(function, "celery", where, site)
            else:  # a task of another code base: the node stands for it
                task_id = f"task:{arg.value}"
                place = (where.relpath, site.line)
                self.node(task_id, NodeKind.TASK, {"framework": "celery", "name": arg.value}, place)
        self.edge(caller, task_id, EdgeKind.PUBLISHES, where, site, via="send_task")

    def _periodic(self, where: _Module, site: Site) -> None:
        arg = site.args[1] if len(site.args) > 1 else _kw(site, "sig")
        function = self.callable(where, arg, site) if arg else None
        if function is not None and self.names.kind(function) != "class":
            task_id = self.task(function, "celery", where, site)
            given = site.args[0] if site.args else _kw(site, "schedule")
            if given is not None and given.tag in ("str", "name", "other"):
                self.pending[task_id].attrs.setdefault("schedule", given.value)

    def _beat(self, where: _Module, site: Site) -> None:
        for entry in site.args:
            label, name, schedule = entry.value
            task_id = self.task_names.get(name)
            if task_id is None:
                function = self._as_callable(name)
                task_id = self.task(function, "celery", where, site) if function else None
            if task_id is not None:
                attrs = self.pending[task_id].attrs
                attrs.setdefault("schedule", schedule)
                attrs.setdefault("beat", label)
