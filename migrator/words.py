"""Counts in what migrator prints: "1 service", "2 services", never "1 services"."""

from __future__ import annotations

_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` followed by ``noun``, or by ``many`` (default: ``noun`` made plural) unless it is 1.

    ``many`` covers irregular words and phrases whose verb agrees too:
    ``plural(n, "import breaks", "imports break")``.
    """
    return f"{count:,} {noun if count == 1 else many or plural_of(noun)}"


def plural_of(noun: str) -> str:
    """The plural of a regular English noun, or of the last word of a phrase ("REST call")."""
    if noun.endswith(_SIBILANT_ENDINGS):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("", "a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"
