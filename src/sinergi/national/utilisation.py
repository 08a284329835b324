"""Utilisation of capacity: one value for every route, values by route, or both.

Smelters that give only their capacity (the accounts) and capacity that comes on line in a
scenario are turned into nickel at capacity x utilisation. Routes run at different rates (an
HPAL plant's ramp-up is not an RKEF line's), so a user may give one utilisation for every
route, one per route, or one for every route with exceptions; routes given nothing keep the
caller's default (the year's observed ratio).

On the command line: ``--utilisation 0.8`` (every route), ``--utilisation hpal_mhp=0.9``
(one route), repeated to combine. In a scenario file: ``utilisation: 0.8`` or
``utilisation: {all: 0.8, hpal_mhp: 0.9}``.

>>> u = parse_utilisation(["0.8", "hpal_mhp=0.9"])
>>> u.of(Route.HPAL_MHP), u.of(Route.RKEF_NPI)
(0.9, 0.8)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sinergi.errors import UsageError
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.national.registry import Route

__all__ = ["ALL_ROUTES", "Utilisation", "parse_utilisation", "unknown_routes"]

#: The key that gives every route's utilisation in a mapping by route.
ALL_ROUTES = "all"


@dataclass(frozen=True)
class Utilisation:
    """Utilisation (0-1] of capacity: for every route (``every``) and by route (``routes``)."""

    every: float | None = None
    routes: Mapping[Route, float] = field(default_factory=dict)

    def of(self, route: Route) -> float | None:
        """Return the utilisation given for ``route``: its own, else every route's, else None."""
        return self.routes.get(route, self.every)

    @property
    def given(self) -> bool:
        """Return whether any utilisation was given."""
        return self.every is not None or bool(self.routes)

    @classmethod
    def of_mapping(cls, values: Mapping[str, float]) -> Utilisation:
        """Return the utilisation of a mapping by route value (``all`` for every route).

        The keys must have been checked (:func:`unknown_routes`).
        """
        return cls(
            values.get(ALL_ROUTES),
            {Route(k): float(v) for k, v in values.items() if k != ALL_ROUTES},
        )


def unknown_routes(keys: Iterable[str]) -> list[str]:
    """Return the keys that name no route (nor ``all``), in the order given."""
    known = {r.value for r in Route} | {ALL_ROUTES}
    return [k for k in keys if k not in known]


def _share(text: str, where: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = float("nan")
    if not 0 < value <= 1:  # also refuses NaN
        raise UsageError(
            msg(
                N_("{where}: {value} is not a utilisation; give a number above 0 and at most 1"),
                where=where,
                value=text.strip(),
            )
        )
    return value


def parse_utilisation(values: Iterable[str], option: str = "--utilisation") -> Utilisation:
    """Return the utilisation of command-line values: ``0.8`` or ``route=0.8``, repeatable.

    Raises
    ------
    UsageError
        Naming the option and the value: an unknown route, a number outside (0, 1], a route
        or every route given twice.
    """
    every: float | None = None
    routes: dict[Route, float] = {}
    for raw in values:
        key, sep, number = raw.partition("=")
        key, number = (key.strip(), number) if sep else (ALL_ROUTES, raw)
        where = f"{option} {raw}"
        if key == ALL_ROUTES:
            if every is not None:
                raise UsageError(
                    msg(N_("{where}: every route's utilisation was given twice"), where=where)
                )
            every = _share(number, where)
        elif unknown_routes([key]):
            raise UsageError(
                msg(
                    N_("{where}: {route} is not a route; use one of {routes}"),
                    where=where,
                    route=key,
                    routes=", ".join(r.value for r in Route),
                )
            )
        elif Route(key) in routes:
            raise UsageError(
                msg(N_("{where}: route {route} was given twice"), where=where, route=key)
            )
        else:
            routes[Route(key)] = _share(number, where)
    return Utilisation(every, routes)
