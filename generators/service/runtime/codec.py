"""What crosses a service boundary, as JSON: values keep their Python types on both sides.

Entities (ORM objects) never cross: they travel as their column values and properties and arrive
as read-only value objects (``RemoteEntity``). Shared value types (dataclasses, pydantic models,
enums) arrive as themselves, found under the name they have on the receiving side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import importlib
import uuid
from collections.abc import Callable, Mapping
from typing import Any

MAX_DEPTH = 3


class RemoteEntity:
    """An entity owned by another service, as a value: its fields, no lazy relations, no session."""

    def __init__(self, **fields: Any) -> None:
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_fields"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} belongs to another service: it is read-only here")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._fields == self._fields  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(sorted(self._fields.items(), key=lambda item: item[0]))))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._fields.items() if not isinstance(v, (list, RemoteEntity)))
        return f"<{self.__class__.__name__} {fields}>"


def _model_data(value: Any) -> dict[str, Any] | None:
    """A pydantic model's fields (pydantic 2 or 1, whichever the application runs), else None."""
    if hasattr(value, "model_dump") and hasattr(type(value), "model_fields"):
        return value.model_dump(mode="python")
    if hasattr(type(value), "__fields__") and callable(getattr(value, "dict", None)) and hasattr(type(value), "parse_obj"):
        return value.dict()
    return None


def _model(cls: Any, data: Any) -> Any:
    """``data`` validated by the model class ``cls`` (pydantic 2 or 1); ``data`` itself when ``cls`` is none."""
    if isinstance(cls, type) and hasattr(cls, "model_validate"):
        return cls.model_validate(data)
    if isinstance(cls, type) and hasattr(cls, "parse_obj"):
        return cls.parse_obj(data)
    return data


class Codec:
    """Encodes and decodes values; ``moves`` maps a module of the monolith to where it lives here
    (the shared library), longest prefix first."""

    def __init__(self, moves: Mapping[str, str] | None = None) -> None:
        self.moves = dict(sorted((moves or {}).items(), key=lambda item: -len(item[0])))
        self.reverse = {new: old for old, new in self.moves.items()}

    # ------------------------------------------------------------------ names
    def _original(self, module: str) -> str:
        for new, old in self.reverse.items():
            if module == new or module.startswith(new + "."):
                return old + module[len(new):]
        return module

    def _local(self, module: str) -> str:
        for old, new in self.moves.items():
            if module == old or module.startswith(old + "."):
                return new + module[len(old):]
        return module

    def name_of(self, cls: type) -> str:
        return f"{self._original(cls.__module__)}:{cls.__qualname__}"

    def find(self, name: str) -> Any | None:
        module_name, _, qualname = name.partition(":")
        try:
            value: Any = importlib.import_module(self._local(module_name))
            for part in qualname.split("."):
                value = getattr(value, part)
        except (ImportError, AttributeError):
            return None
        return value

    # ------------------------------------------------------------------ encode
    def encode(self, value: Any, depth: int = 0) -> Any:
        if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, enum.Enum):
            return value
        if isinstance(value, enum.Enum):
            return {"__enum__": self.name_of(type(value)), "value": self.encode(value.value, depth)}
        if isinstance(value, dt.datetime):
            return {"__datetime__": value.isoformat()}
        if isinstance(value, dt.date):
            return {"__date__": value.isoformat()}
        if isinstance(value, dt.time):
            return {"__time__": value.isoformat()}
        if isinstance(value, dt.timedelta):
            return {"__timedelta__": value.total_seconds()}
        if isinstance(value, decimal.Decimal):
            return {"__decimal__": str(value)}
        if isinstance(value, uuid.UUID):
            return {"__uuid__": str(value)}
        if isinstance(value, bytes):
            return {"__bytes__": value.hex()}
        if isinstance(value, list):
            return [self.encode(item, depth) for item in value]
        if isinstance(value, tuple):
            return {"__tuple__": [self.encode(item, depth) for item in value]}
        if isinstance(value, (set, frozenset)):
            return {"__set__": [self.encode(item, depth) for item in sorted(value, key=repr)]}
        if isinstance(value, Mapping):
            if all(isinstance(k, str) and not k.startswith("__") for k in value):
                return {k: self.encode(v, depth) for k, v in value.items()}
            return {"__dict__": [[self.encode(k, depth), self.encode(v, depth)] for k, v in value.items()]}
        if isinstance(value, RemoteEntity):
            return {"__entity__": value.__class__.__name__, "fields": self.encode(dict(value._fields), depth)}
        model = _model_data(value)
        if model is not None:
            return {"__model__": self.name_of(type(value)), "data": self.encode(model, depth)}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: self.encode(getattr(value, f.name), depth) for f in dataclasses.fields(value) if f.init}
            return {"__dataclass__": self.name_of(type(value)), "fields": fields}
        if hasattr(type(value), "__mapper__"):
            return self._entity(value, depth)
        if isinstance(value, BaseException):
            return self.error(value)
        raise TypeError(f"{type(value).__qualname__} cannot cross a service boundary")

    def _entity(self, value: Any, depth: int) -> dict[str, Any]:
        from sqlalchemy import inspect as sa_inspect

        mapper = sa_inspect(type(value))
        state = sa_inspect(value)
        fields: dict[str, Any] = {}
        for attr in mapper.column_attrs:
            fields[attr.key] = self.encode(getattr(value, attr.key), depth + 1)
        if depth < 1:
            for rel in mapper.relationships:
                if rel.key in state.unloaded and state.session is None:
                    continue
                try:
                    fields[rel.key] = self.encode(getattr(value, rel.key), depth + 1)
                except Exception:  # noqa: BLE001 - a relation that cannot load is left out
                    continue
        for name in dir(type(value)):
            if isinstance(getattr(type(value), name, None), property) and name not in fields:
                try:
                    fields[name] = self.encode(getattr(value, name), depth + 1)
                except Exception:  # noqa: BLE001 - a property that fails or is not a value is left out
                    continue
        return {"__entity__": type(value).__name__, "fields": fields}

    def error(self, exc: BaseException) -> dict[str, Any]:
        state = {}
        for key, item in vars(exc).items():
            try:
                state[key] = self.encode(item)
            except TypeError:
                continue
        return {
            "__error__": [self.name_of(cls) for cls in type(exc).__mro__ if cls not in (BaseException, object)],
            "args": [self.encode(a) if not isinstance(a, BaseException) else str(a) for a in exc.args],
            "state": state,
        }

    # ------------------------------------------------------------------ decode
    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.decode(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, raw), = value.items()
            simple: dict[str, Callable[[Any], Any]] = {
                "__datetime__": dt.datetime.fromisoformat, "__date__": dt.date.fromisoformat, "__time__": dt.time.fromisoformat,
                "__timedelta__": lambda s: dt.timedelta(seconds=s), "__decimal__": decimal.Decimal, "__uuid__": uuid.UUID,
                "__bytes__": bytes.fromhex, "__tuple__": lambda items: tuple(self.decode(i) for i in items),
                "__set__": lambda items: {self.decode(i) for i in items},
                "__dict__": lambda pairs: {self.decode(k): self.decode(v) for k, v in pairs},
            }
            if key in simple:
                return simple[key](raw)
        if "__enum__" in value:
            cls = self.find(value["__enum__"])
            raw = self.decode(value["value"])
            return cls(raw) if isinstance(cls, type) and issubclass(cls, enum.Enum) else raw
        if "__model__" in value:
            cls = self.find(value["__model__"])
            data = self.decode(value["data"])
            return _model(cls, data)
        if "__dataclass__" in value:
            cls = self.find(value["__dataclass__"])
            fields = {k: self.decode(v) for k, v in value["fields"].items()}
            return cls(**fields) if isinstance(cls, type) and dataclasses.is_dataclass(cls) else fields
        if "__entity__" in value:
            return entity_class(value["__entity__"])(**{k: self.decode(v) for k, v in value["fields"].items()})
        if "__error__" in value:
            return self.decode_error(value)
        return {k: self.decode(v) for k, v in value.items()}

    def decode_error(self, value: Mapping[str, Any]) -> BaseException:
        """The exception as raised by the other service: the first class of its MRO found here
        (the shared library's errors are), with its state."""
        for name in value["__error__"]:
            cls = self.find(name)
            if isinstance(cls, type) and issubclass(cls, BaseException):
                exc = cls.__new__(cls)
                BaseException.__init__(exc, *[self.decode(a) for a in value.get("args", [])])
                for key, item in (value.get("state") or {}).items():
                    try:
                        setattr(exc, key, self.decode(item))
                    except AttributeError:
                        continue
                return exc
        return RemoteError(value["__error__"][0], [self.decode(a) for a in value.get("args", [])])


class RemoteError(Exception):
    """An exception of another service whose class does not exist here."""

    def __init__(self, kind: str, args: list[Any]) -> None:
        super().__init__(f"{kind}: {', '.join(map(str, args))}")
        self.kind = kind


_ENTITIES: dict[str, type[RemoteEntity]] = {}


def entity_class(name: str) -> type[RemoteEntity]:
    """One value-object class per entity name (``Product``), so that its repr and type say what it is."""
    if name not in _ENTITIES:
        _ENTITIES[name] = type(name, (RemoteEntity,), {"__module__": __name__})
    return _ENTITIES[name]
