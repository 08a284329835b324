"""Recycled content of a pack against the minimum shares of Regulation (EU) 2023/1542, Art. 8.

Article 8 sets minimum shares of cobalt, lithium, nickel and lead recovered from waste in the
active materials of a battery model (from 18 August 2031, raised from 18 August 2036). Which
elements a pack must declare depends on what its active materials hold, which its chemistry
says (:func:`active_elements`); :func:`against_minimum` sets each element's recycled share
(plain data from the custody engine) beside the minimum (plain data from the circularity
data) and says, language-free, whether it meets it, falls below it, or cannot be determined.
A share that cannot be determined is never read as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["REGULATED", "active_elements", "against_minimum"]

#: The elements Article 8 names, in the order the passport shows them.
REGULATED = ("Co", "Li", "Ni", "Pb")

#: Chemistry short names (as written on the pack, matched as prefixes or parts) and the
#: regulated elements in their active materials. LNMO is checked before LMO, NMC and NCA name
#: nickel-cobalt cathodes, LFP/LMFP/LMO/LTO lithium cathodes or anodes without Ni or Co.
_CHEMISTRIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("LNMO",), ("Li", "Ni")),
    (("NMC", "NCM", "NCA", "NMCA"), ("Co", "Li", "Ni")),
    (("LCO",), ("Co", "Li")),
    (("LFP", "LMFP", "LMO", "LTO"), ("Li",)),
    (("NIMH", "NI-MH", "NICD", "NI-CD"), ("Ni",)),
    (("PB", "LEAD"), ("Pb",)),
)


def active_elements(chemistry: str) -> tuple[str, ...]:
    """Return the regulated elements a chemistry's active materials hold.

    An unknown chemistry returns every regulated element: each must then be traced or shown
    as not determinable, rather than left out.

    >>> active_elements("NMC811")
    ('Co', 'Li', 'Ni')
    >>> active_elements("LFP")
    ('Li',)
    """
    name = chemistry.upper().replace(" ", "")
    for names, elements in _CHEMISTRIES:
        if any(name.startswith(n) or f"-{n}" in name or f"/{n}" in name for n in names):
            return elements
    return REGULATED


def against_minimum(
    shares: Mapping[str, Mapping[str, Any]],
    minimums: Mapping[int, Mapping[str, float]],
    source: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Set each element's recycled share beside Article 8's minimum (percentages).

    Parameters
    ----------
    shares
        Symbol → ``{"material": "Nickel", "pre": f, "post": f, "reason": code}`` with
        fractions (0-1) or ``None`` and a reason when not determinable.
    minimums
        Year from which a minimum applies → symbol → minimum share (0-1).
    source
        Where the minimums come from (``refs``, ``title``, ``url``), copied to each row.

    Returns
    -------
    list of dict
        One row per element: the shares in %, ``minimums`` (``from`` year, ``share`` %), and
        ``status``: ``meets``/``below`` (the first minimum), ``not_determinable`` (with the
        ``reason``) or ``no_minimum`` (sinergi holds no minimum for it).
    """
    rows = []
    for symbol in sorted(shares, key=lambda s: REGULATED.index(s) if s in REGULATED else 99):
        given = shares[symbol]
        pre, post = given.get("pre"), given.get("post")
        total = None if pre is None or post is None else float(pre) + float(post)
        levels = [
            {"from": year, "share": round(100 * by[symbol], 6)}
            for year, by in sorted(minimums.items())
            if symbol in by
        ]
        if total is None:
            status = "not_determinable"
        elif not levels:
            status = "no_minimum"
        else:
            status = "meets" if 100 * total >= levels[0]["share"] - 1e-9 else "below"
        rows.append(
            {
                "recycledMaterial": given["material"],
                "preConsumerShare": None if pre is None else round(100 * float(pre), 6),
                "postConsumerShare": None if post is None else round(100 * float(post), 6),
                "recycledShare": None if total is None else round(100 * total, 6),
                "minimums": levels,
                "status": status,
                "reason": given.get("reason") if total is None else None,
                "source": dict(source),
            }
        )
    return rows
