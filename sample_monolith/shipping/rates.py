"""Shipping rate table.

Rates depend on the destination zone and the method.  Standard shipping is
free above the configured threshold within the home country and the EU.
"""

from __future__ import annotations

from dataclasses import dataclass

EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

#: ``{zone: {method: (price_cents, transit_business_days)}}``
RATE_TABLE: dict[str, dict[str, tuple[int, int]]] = {
    "domestic": {"standard": (495, 3), "express": (1295, 1)},
    "eu": {"standard": (995, 5), "express": (2495, 2)},
    "international": {"standard": (2495, 10), "express": (4995, 4)},
}

#: Countries we cannot ship to (sanctions / carrier restrictions).
UNSUPPORTED_COUNTRIES = frozenset({"KP", "IR", "SY", "CU"})


@dataclass(frozen=True)
class Rate:
    method: str
    zone: str
    price_cents: int
    transit_days: int
    free_shipping_applied: bool = False


def zone_for(country: str, home_country: str) -> str:
    if country == home_country:
        return "domestic"
    if country in EU_COUNTRIES:
        return "eu"
    return "international"


def rates_for(country: str, subtotal_cents: int, *, home_country: str, free_threshold_cents: int) -> list[Rate]:
    zone = zone_for(country, home_country)
    rates = []
    for method, (price, days) in RATE_TABLE[zone].items():
        free = method == "standard" and zone != "international" and subtotal_cents >= free_threshold_cents
        rates.append(Rate(method, zone, 0 if free else price, days, free))
    return rates
