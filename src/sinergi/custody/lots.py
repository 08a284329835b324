"""Lots: a quantity of one commodity held by one owner at one facility in one period.

A lot is the unit that chain of custody follows. Its quantity is in the commodity's canonical
unit (``t`` for masses, ``item`` for counted things such as packs); a counted lot states its
mass (``mass_t``) when it enters a transformation, so that the mass check can weigh it.
Attributes are the characteristics a claim can rest on (``recycled_share``,
``renewable_share``, ``irma_level``, ``ni_content``, origin mine or IUP…) and evidence is a
list of SHA-256 digests of the documents behind them (assay certificates, audit reports).

    >>> lot = Lot("MHP-1", "mhp", 100.0, owner="hpal-co", facility="iwip-hpal", period="2026-01")
    >>> lot.share("recycled_share")
    0.0
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sinergi.errors import CustodyError
from sinergi.i18n import N_
from sinergi.i18n.messages import Sig, msg

__all__ = ["CLAIMABLE", "Characteristic", "Lot", "Portion"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,119}$")


class Characteristic(StrEnum):
    """A sustainability characteristic a claim can state, and the lot attribute behind it.

    The value of each is the attribute holding the lot's share (0 to 1) of material with the
    characteristic: recycled content (post- or pre-consumer), material made on renewable
    electricity, material from an IRMA-audited origin, and low-carbon material (below the
    buyer's threshold, stated by the supplier).
    """

    RECYCLED_POST_CONSUMER = "recycled_post_consumer_share"
    RECYCLED_PRE_CONSUMER = "recycled_pre_consumer_share"
    RENEWABLE_POWER = "renewable_share"
    IRMA_ORIGIN = "irma_share"
    LOW_CARBON = "low_carbon_share"


#: Every characteristic a claim may name.
CLAIMABLE: tuple[Characteristic, ...] = tuple(Characteristic)


def check_id(value: str, what: str) -> str:
    """Return ``value`` if it is a usable id (letters, digits, ``._:/-``; at most 120).

    ``what`` names the id in English, marked with ``N_`` (``N_("lot id")``).
    """
    if not isinstance(value, str) or not _ID.match(value):
        raise CustodyError(
            msg(
                N_(
                    "{what} {value} is not a usable id: use 1-120 letters, digits and . _ : / - "
                    "starting with a letter or digit"
                ),
                what=msg(what),
                value=repr(value),
            )
        )
    return value


@dataclass(frozen=True, slots=True)
class Lot:
    """A quantity of one commodity: who holds it, where, when, and what it is.

    Parameters
    ----------
    id
        Unique lot id (the custodian's batch or lot number).
    commodity
        Commodity id of the catalogue (``mhp``, ``nickel_sulfate``, ``battery_pack_car``…).
    quantity
        Amount in the commodity's canonical unit ``unit`` (positive, finite).
    owner, facility
        The company that owns the lot when it is made, and the facility (site) holding it.
    period
        The month (``2026-01``) or year the lot was made.
    attributes
        Characteristics and properties: shares from 0 to 1 keyed by
        :class:`Characteristic` values, and any other text or number.
    evidence
        SHA-256 digests (hex) of the documents that back the attributes.
    mass_t
        Mass of the whole lot in t, for counted lots (``unit: item``) in transformations.
    synthetic
        The lot is made up for a demonstration or a test (shown as such).
    """

    id: str
    commodity: str
    quantity: float
    unit: str = "t"
    owner: str = ""
    facility: str = ""
    period: str = ""
    attributes: Mapping[str, str | float] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    mass_t: float | None = None
    synthetic: bool = False

    def __post_init__(self) -> None:
        check_id(self.id, N_("lot id"))
        if not math.isfinite(self.quantity) or self.quantity <= 0:
            raise CustodyError(
                msg(
                    N_("lot {lot}: quantity {value} must be positive"),
                    lot=self.id,
                    value=Sig(self.quantity, 15),
                )
            )
        if self.mass_t is not None and not (math.isfinite(self.mass_t) and self.mass_t > 0):
            raise CustodyError(
                msg(
                    N_("lot {lot}: mass_t {value} must be positive"),
                    lot=self.id,
                    value=Sig(self.mass_t, 15),
                )
            )
        for digest in self.evidence:
            if not _SHA256.match(digest):
                raise CustodyError(
                    msg(
                        N_("lot {lot}: evidence {digest} is not a SHA-256 digest (64 hex digits)"),
                        lot=self.id,
                        digest=repr(digest),
                    )
                )
        for name in CLAIMABLE:
            value = self.attributes.get(name.value)
            if value is not None and not (isinstance(value, int | float) and 0 <= value <= 1):
                raise CustodyError(
                    msg(
                        N_("lot {lot}: attribute {name} = {value} must be a share 0-1"),
                        lot=self.id,
                        name=name.value,
                        value=repr(value),
                    )
                )

    def share(self, characteristic: Characteristic | str) -> float:
        """Return the lot's share of material with ``characteristic`` (0 when not stated)."""
        value = self.attributes.get(str(characteristic), 0.0)
        return float(value) if isinstance(value, int | float) else 0.0

    def mass_of(self, quantity: float) -> float | None:
        """Return the mass in t of ``quantity`` of this lot (``None`` if it cannot be known)."""
        if self.unit == "t":
            return quantity
        if self.mass_t is None:
            return None
        return quantity / self.quantity * self.mass_t


@dataclass(frozen=True, slots=True)
class Portion:
    """An amount of one lot taking part in an event (in the lot's unit)."""

    lot: str
    quantity: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.quantity) or self.quantity <= 0:
            raise CustodyError(
                msg(
                    N_("portion of lot {lot}: quantity {value} must be positive"),
                    lot=self.lot,
                    value=Sig(self.quantity, 15),
                )
            )
