"""How a multi-output process is split: mass, economic (revenue) or system expansion.

The method is chosen per process in ``routes.yaml`` (``allocation``) or per run; the result is
an :class:`Allocation` that every footprint records, so a reader sees how a co-product's burden
was assigned.
"""

from __future__ import annotations

from dataclasses import dataclass

from sinergi.errors import AllocationError
from sinergi.footprint.schema import AllocationMethod, ProcessSpec


@dataclass(frozen=True, slots=True)
class Allocation:
    """How a multi-output process was split, recorded with every result."""

    process: str
    method: AllocationMethod
    factors: dict[str, float]
    basis: str


def allocate(
    proc: ProcessSpec, outputs: list[float], method: AllocationMethod | None
) -> Allocation:
    """Return how a multi-output process's burden is split between its products.

    ``outputs`` are the products' amounts per run. Mass needs every product in t; economic
    needs a ``price`` for each; system expansion keeps one column and credits each co-product
    as avoided production of the product it ``substitutes``.

    Raises
    ------
    AllocationError
        When no method is chosen or the chosen one lacks what it needs (names the process).
    """
    if method is None:
        raise AllocationError(
            f"process {proc.id!r} has {len(proc.products)} products; choose "
            "`allocation: mass | economic | system_expansion`"
        )
    ids = [p.id for p in proc.products]
    if method == "system_expansion":
        for p in proc.products[1:]:
            if p.substitutes is None:
                raise AllocationError(
                    f"process {proc.id!r}: co-product {p.id!r} has no `substitutes` product, "
                    "so system expansion cannot credit it; name the product it displaces or "
                    "choose mass/economic allocation"
                )
        return Allocation(
            proc.id,
            method,
            {ids[0]: 1.0},
            "co-products credited as avoided production of the products they substitute",
        )
    if method == "mass":
        units = {p.unit for p in proc.products}
        if units != {"t"}:
            raise AllocationError(
                f"process {proc.id!r}: mass allocation needs every product "
                f"in t; got units {', '.join(sorted(units))}"
            )
        weights = outputs
        basis = "mass of each product (t)"
    else:
        missing = [p.id for p in proc.products if p.price is None]
        if missing:
            raise AllocationError(
                f"process {proc.id!r}: economic allocation needs a `price` "
                f"for every product; missing for {', '.join(missing)}"
            )
        weights = [q * float(p.price or 0.0) for q, p in zip(outputs, proc.products, strict=True)]
        basis = "revenue = amount x price of each product"
    total = sum(weights)
    if total <= 0:
        raise AllocationError(f"process {proc.id!r}: allocation weights sum to {total:g}")
    return Allocation(
        proc.id, method, {i: w / total for i, w in zip(ids, weights, strict=True)}, basis
    )
