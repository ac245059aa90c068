"""The page's plumbing: the one Jinja environment, the packaged assets, and making data and
scripts safe to inline so that the file stands alone and makes no request."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

_SCRIPT_JSON_ESCAPES = str.maketrans({
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
})
_CLOSING_SCRIPT = re.compile(r"</(script)", re.IGNORECASE)
_URL_SCHEME = re.compile(r"\b(https?):(?=//)", re.IGNORECASE)


@cache
def environment() -> Environment:
    """The report's Jinja environment: autoescaped HTML, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("migrator.reporting.html", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def script_json(data: Any) -> Markup:
    """``data`` as JSON that can sit inside ``<script type="application/json">``: nothing in it
    can close the element or start markup, whatever the names in the monolith are."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.translate(_SCRIPT_JSON_ESCAPES))


def inline_script(source: str) -> Markup:
    """Trusted JavaScript made safe to inline: no ``</script`` or ``<!--`` can end the element
    early, and URLs in licence comments lose their scheme so the file names no address."""
    source = _CLOSING_SCRIPT.sub(r"<\\/\1", source).replace("<!--", "<\\!--")
    return Markup(_URL_SCHEME.sub(r"\1[:]", source))


def _text(*parts: str) -> str:
    return resources.files("migrator.reporting.html").joinpath(*parts).read_text(encoding="utf-8")


@cache
def vendor_manifest() -> tuple[dict[str, Any], ...]:
    """The vendored packages in the order they are inlined (see ``vendor/update.sh``)."""
    return tuple(json.loads(_text("vendor", "manifest.json"))["packages"])


@cache
def vendor_scripts() -> Markup:
    return Markup("\n").join(inline_script(_text("vendor", p["script"])) for p in vendor_manifest())


def vendor_notices() -> list[dict[str, str]]:
    """Name, version, licence and licence text of each vendored package, for the page's footer."""
    return [
        {"name": p["name"], "version": p["version"], "license": p["license"], "text": _text("vendor", p["license_file"])}
        for p in vendor_manifest()
    ]


@cache
def asset(name: str) -> Markup:
    """Our own stylesheet or script from ``templates/``, inlined as is."""
    text = _text("templates", name)
    return inline_script(text) if name.endswith(".js") else Markup(text)
