"""The mass-balance credit journal: what each event credits and each claim debits, as rows.

A period-by-period :func:`~sinergi.custody.accounts.replay` books every converting event of a
period, then checks the period's claims, then closes it. So the credit an event books depends
on the shares of its inputs *as the replay sees them then*: a claim on a lot counts from the
period after the lot's own (claims of a period are recorded after its bookings). This module
computes those figures one event at a time, from what each input lot passes on
(:class:`LotShares`), so a store can write them when the event, claim or model arrives and a
period's close becomes a sum over the journal instead of a replay of the site's history.

Everything here is for one accounting-period length (the store's journal uses the default
three months): the "same period" of a claim and an event depends on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sinergi.custody.accounts import (
    CustodyModel,
    SiteModel,
    accounting_period,
    period_order,
)
from sinergi.custody.events import Event
from sinergi.custody.lots import CLAIMABLE, Characteristic, Lot

__all__ = ["Entry", "LotShares", "claim_debit", "event_credits", "lot_shares"]

_NOT_PHYSICAL = (CustodyModel.MASS_BALANCE, CustodyModel.BOOK_AND_CLAIM)


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal row: ``quantity`` t credited or debited to an account in a month."""

    site: str
    product_group: str
    characteristic: Characteristic
    month: str
    quantity: float


@dataclass(frozen=True, slots=True)
class LotShares:
    """What a lot passes on of each characteristic, as the period-by-period replay sees it.

    ``base`` is its share without its own claim (a stated attribute, else the blend of its
    inputs under a physical model, else 0), with every upstream claim counted; ``open`` is the
    share an event of the lot's own ``period`` sees, when the claims on lots of that period
    are not recorded yet; ``claims`` are the shares claimed on the lot.
    """

    period: str
    base: Mapping[Characteristic, float] = field(default_factory=dict)
    open: Mapping[Characteristic, float] = field(default_factory=dict)
    claims: Mapping[Characteristic, float] = field(default_factory=dict)

    def final(self, characteristic: Characteristic) -> float:
        """Return the share passed on once the lot's period is closed (its claim, if any)."""
        claim = self.claims.get(characteristic)
        return claim if claim is not None else self.base.get(characteristic, 0.0)

    def seen(self, characteristic: Characteristic, period: str) -> float:
        """Return the share an event of ``period`` books for this lot as an input.

        A lot of an earlier period passes on its final share; one of the same period (or, in
        a chain whose times run backwards, a later one) its open share.
        """
        if period_order(self.period) < period_order(period):
            return self.final(characteristic)
        return self.open.get(characteristic, 0.0)


def lot_shares(
    lot: Lot,
    producer: Event,
    model: SiteModel | None,
    inputs: Mapping[str, LotShares],
    lots: Mapping[str, Lot],
    claims: Mapping[Characteristic, float],
    months: int,
) -> LotShares:
    """Return what a lot passes on, from its producer and what the producer's inputs pass on.

    The same rule as :meth:`~sinergi.custody.accounts.Accounting.share`: a stated attribute;
    else, for a lot a converting event made under a physical model (``model`` is the lot's
    site and product group's, ``None`` for segregated), the mass-weighted share of its
    inputs; else 0.
    """
    period = accounting_period(producer.time, months)
    physical = producer.kind.converts and (model is None or model.model not in _NOT_PHYSICAL)
    masses = (
        [(p.lot, lots[p.lot].mass_of(p.quantity) or 0.0) for p in producer.inputs]
        if physical
        else []
    )
    total = sum(m for _lot, m in masses)
    base: dict[Characteristic, float] = {}
    opened: dict[Characteristic, float] = {}
    for characteristic in CLAIMABLE:
        if characteristic.value in lot.attributes:
            stated = lot.share(characteristic)
            b, o = stated, stated
        elif total <= 0:
            continue
        else:
            b = sum(inputs[k].final(characteristic) * m for k, m in masses) / total
            o = sum(inputs[k].seen(characteristic, period) * m for k, m in masses) / total
        if b:
            base[characteristic] = b
        if o:
            opened[characteristic] = o
    return LotShares(period, base, opened, dict(claims))


def event_credits(
    event: Event,
    models: Mapping[tuple[str, str], SiteModel],
    inputs: Mapping[str, LotShares],
    lots: Mapping[str, Lot],
    months: int,
) -> list[Entry]:
    """Return the credits a converting event books (as :meth:`Accounting.book` does).

    ``quantity (t) × share seen × conversion factor`` of its inputs, for every characteristic,
    into the account of each output product group its site keeps a mass balance for.
    """
    if not event.kind.converts:
        return []
    period = accounting_period(event.time, months)
    out = []
    for group in sorted({lots[p.lot].commodity for p in event.outputs}):
        model = models.get((event.facility, group))
        if model is None or model.model is not CustodyModel.MASS_BALANCE:
            continue
        for characteristic in CLAIMABLE:
            amount = (
                sum(
                    (lots[p.lot].mass_of(p.quantity) or 0.0)
                    * inputs[p.lot].seen(characteristic, period)
                    for p in event.inputs
                )
                * model.conversion_factor
            )
            if amount > 0:
                out.append(Entry(event.facility, group, characteristic, event.time[:7], amount))
    return out


def claim_debit(
    lot: Lot,
    site: str,
    time: str,
    characteristic: Characteristic,
    share: float,
    models: Mapping[tuple[str, str], SiteModel],
) -> Entry | None:
    """Return the debit a claim on a lot made at ``site`` at ``time`` books, if any.

    Only a mass-balance account is debited (``mass × claimed share``); a claim under another
    model debits nothing.
    """
    model = models.get((site, lot.commodity))
    mass = lot.mass_of(lot.quantity)
    if model is None or model.model is not CustodyModel.MASS_BALANCE or mass is None:
        return None
    return Entry(site, lot.commodity, characteristic, time[:7], mass * share)
