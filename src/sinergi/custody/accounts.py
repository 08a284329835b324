"""ISO 22095 chain-of-custody models per site and product group, and the claims they allow.

ISO 22095:2020 names five models. sinergi applies the one chosen for each site × product group:

* **identity preserved** (3.3.1): a claim holds only if the lot comes from one origin lot and
  every lot on the way carries the characteristic (the claim may not exceed the smallest share);
* **segregated** (3.3.2): every input carries the characteristic; no mixing with other
  material (the claim may not exceed the smallest input share);
* **controlled blending** (3.3.3): mixing is allowed and the output's share is the known
  mass-weighted share of its inputs;
* **mass balance** (3.3.4), credit method: inputs with the characteristic credit the site's
  account, ``credit = quantity × share × conversion factor``; a claim on an output debits
  ``mass × claimed share``. The account is per site × product group × characteristic ×
  accounting period (three months by default, after ISCC's maximum); a claim the balance
  cannot cover is refused with the shortfall; a period's positive balance carries over only
  once the period is closed, so no period can ever close below zero; credits move between
  sites only within one product group; each input portion credits once and each lot and
  characteristic is claimed once (no double counting);
* **book and claim** (3.3.5): certificates not tied to the physical flow; a claim retires
  certificates of the same characteristic and product group, each at most once.

A claimed share becomes the lot's share for the next step, so claims propagate: a buyer's
mass-balance site books a claimed lot as a credit, a segregated site passes it on physically.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sinergi.custody.chain import Chain
from sinergi.custody.events import Event, normalise_time
from sinergi.custody.lots import CLAIMABLE, Characteristic, Lot, check_id
from sinergi.errors import ClaimRefused, CustodyError
from sinergi.i18n import N_
from sinergi.i18n.messages import Num, Pct, Sig, msg

__all__ = [
    "DEFAULT_PERIOD_MONTHS",
    "Accounting",
    "Certificate",
    "Claim",
    "CustodyModel",
    "PeriodClose",
    "SiteModel",
    "Transfer",
    "accounting_period",
    "claim_order",
    "close_ledger",
    "period_order",
    "replay",
    "retire_in_order",
]

#: Length of a mass-balance accounting period in months (ISCC: at most three months).
DEFAULT_PERIOD_MONTHS = 3
_SLACK = 1e-9


class CustodyModel(StrEnum):
    """The chain-of-custody models of ISO 22095:2020 (clause 3.3)."""

    IDENTITY_PRESERVED = "identity_preserved"
    SEGREGATED = "segregated"
    CONTROLLED_BLENDING = "controlled_blending"
    MASS_BALANCE = "mass_balance"
    BOOK_AND_CLAIM = "book_and_claim"


@dataclass(frozen=True, slots=True)
class SiteModel:
    """The custody model a site applies to one product group (and its conversion factor)."""

    site: str
    product_group: str
    model: CustodyModel
    conversion_factor: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.conversion_factor <= 1e6:
            raise CustodyError(
                msg(
                    N_(
                        "site {site}, product group {group}: conversion factor {factor} must be "
                        "positive"
                    ),
                    site=self.site,
                    group=self.product_group,
                    factor=Sig(self.conversion_factor, 15),
                )
            )


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement that ``share`` of a lot has ``characteristic``."""

    lot: str
    characteristic: Characteristic
    share: float

    def __post_init__(self) -> None:
        if not 0 < self.share <= 1:
            raise CustodyError(
                msg(
                    N_("claim on lot {lot}: share {share} must be in (0, 1]"),
                    lot=self.lot,
                    share=Sig(self.share, 15),
                )
            )


@dataclass(frozen=True, slots=True)
class Certificate:
    """A book-and-claim certificate: ``quantity`` t of a characteristic for a product group."""

    id: str
    characteristic: Characteristic
    product_group: str
    quantity: float
    issuer: str = ""


@dataclass(frozen=True, slots=True)
class Transfer:
    """A move of mass-balance credits from one site's account to another's.

    ``quantity`` t of ``characteristic`` leave the account of ``from_site`` / ``product_group``
    in the accounting period holding ``time`` and enter that of ``to_site`` /
    ``to_product_group`` (the same group unless stated, and only the same group is allowed).
    """

    id: str
    characteristic: Characteristic
    product_group: str
    from_site: str
    to_site: str
    quantity: float
    time: str
    to_product_group: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, N_("transfer id"))
        object.__setattr__(self, "characteristic", Characteristic(self.characteristic))
        try:
            object.__setattr__(self, "time", normalise_time(self.time))
        except CustodyError:
            raise CustodyError(
                msg(
                    N_(
                        "transfer {id}: time {time} must be ISO 8601 with a UTC offset, "
                        "e.g. 2026-01-15T08:00:00+08:00"
                    ),
                    id=self.id,
                    time=repr(self.time),
                )
            ) from None
        if not self.to_product_group:
            object.__setattr__(self, "to_product_group", self.product_group)
        if not (self.quantity > 0 and self.quantity < float("inf")):
            raise CustodyError(
                msg(
                    N_("transfer {id}: quantity {quantity} t must be positive"),
                    id=self.id,
                    quantity=Sig(self.quantity, 15),
                )
            )
        if self.from_site == self.to_site and self.product_group == self.to_product_group:
            raise CustodyError(
                msg(
                    N_(
                        "transfer {id}: from and to are the same account ({site} / {group}); "
                        "name two sites"
                    ),
                    id=self.id,
                    site=self.from_site,
                    group=self.product_group,
                )
            )


@dataclass(frozen=True, slots=True)
class PeriodClose:
    """One mass-balance account at the close of a period (t of the output product group)."""

    site: str
    product_group: str
    characteristic: Characteristic
    period: str
    carried_in: float
    credits: float
    debits: float
    transfers: float

    @property
    def balance(self) -> float:
        """Return carried-in + credits + transfers - debits (never below zero, by design)."""
        return self.carried_in + self.credits + self.transfers - self.debits


def accounting_period(time: str, months: int = DEFAULT_PERIOD_MONTHS) -> str:
    """Return the accounting period holding an ISO time: ``2026-P1`` is its first ``months``.

    >>> accounting_period("2026-05-03T10:00:00+08:00")
    '2026-P2'
    >>> accounting_period("2026-05-03T10:00:00+08:00", months=1)
    '2026-P5'
    """
    if not 1 <= months <= 12 or 12 % months:
        raise CustodyError(
            msg(
                N_("an accounting period of {months} months does not divide a year"),
                months=str(months),
            )
        )
    try:
        year, month = int(time[0:4]), int(time[5:7])
    except ValueError:
        raise CustodyError(
            msg(N_("time {time} is not ISO 8601 (2026-01-15T08:00:00+08:00)"), time=repr(time))
        ) from None
    return f"{year}-P{(month - 1) // months + 1}"


def _previous(period: str, months: int) -> str:
    year, index = period.split("-P")
    if int(index) > 1:
        return f"{year}-P{int(index) - 1}"
    return f"{int(year) - 1}-P{12 // months}"


_Key = tuple[str, str, Characteristic, str]


@dataclass
class _Account:
    credits: float = 0.0
    debits: float = 0.0
    transfers: float = 0.0


@dataclass
class Accounting:
    """Custody models, mass-balance accounts, certificates and claims over one chain.

    Parameters
    ----------
    chain
        The lots and events.
    models
        The model of each (site, product group); a pair without one is ``segregated``.
    product_groups
        Product group of each commodity (credits move only within a group); a commodity
        without one is its own group.
    period_months
        Length of the mass-balance accounting period (3 by default).
    """

    chain: Chain
    models: Mapping[tuple[str, str], SiteModel] = field(default_factory=dict)
    product_groups: Mapping[str, str] = field(default_factory=dict)
    period_months: int = DEFAULT_PERIOD_MONTHS
    claims: dict[tuple[str, Characteristic], Claim] = field(default_factory=dict)
    certificates: dict[str, Certificate] = field(default_factory=dict)
    retired: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    _accounts: dict[_Key, _Account] = field(default_factory=lambda: defaultdict(_Account))
    _booked: set[str] = field(default_factory=set)
    _closed: dict[tuple[str, str, Characteristic], str] = field(default_factory=dict)
    _closing: dict[_Key, float] = field(default_factory=dict)

    # -- model lookup --------------------------------------------------------------------
    def group(self, commodity: str) -> str:
        """Return the product group of a commodity."""
        return self.product_groups.get(commodity, commodity)

    def model_of(self, site: str, group: str) -> SiteModel:
        """Return the model a site applies to a product group (segregated if not chosen)."""
        return self.models.get((site, group)) or SiteModel(site, group, CustodyModel.SEGREGATED)

    def site_of(self, lot: Lot) -> str:
        """Return the site where a lot was made (its producing event's facility)."""
        event = self.chain.producer(lot.id)
        return lot.facility or (event.facility if event is not None else "")

    # -- shares --------------------------------------------------------------------------
    def share(self, lot_id: str, characteristic: Characteristic) -> float:
        """Return the share of a lot that may be passed on as having ``characteristic``.

        A claim fixes it; else a stated attribute; else, for a lot made under a physical
        model (segregated, identity preserved, controlled blending), the mass-weighted share
        of its inputs; else 0 (mass-balance outputs carry only what is claimed).
        """
        made = self.claims.get((lot_id, characteristic))
        if made is not None:
            return made.share
        lot = self.chain.lot(lot_id)
        if characteristic.value in lot.attributes:
            return lot.share(characteristic)
        event = self.chain.producer(lot_id)
        if event is None or not event.kind.converts:
            return 0.0
        model = self.model_of(self.site_of(lot), self.group(lot.commodity)).model
        if model in (CustodyModel.MASS_BALANCE, CustodyModel.BOOK_AND_CLAIM):
            return 0.0
        return self._blend(event, characteristic)

    def _blend(self, event: Event, characteristic: Characteristic) -> float:
        masses = [(p, self.chain.lots[p.lot].mass_of(p.quantity) or 0.0) for p in event.inputs]
        total = sum(m for _, m in masses)
        if total <= 0:
            return 0.0
        return sum(self.share(p.lot, characteristic) * m for p, m in masses) / total

    # -- mass balance: credits -----------------------------------------------------------
    def book(self, event: Event) -> list[tuple[_Key, float]]:
        """Credit the mass-balance accounts of a converting event's site; return the credits.

        Each input portion credits ``quantity (t) × share × conversion factor`` for every
        characteristic it carries, into the account of the outputs' product group. An event
        is booked once (booking it again is refused: no double counting).
        """
        if not event.kind.converts:
            return []
        if event.id in self._booked:
            raise CustodyError(
                msg(N_("event {id} is already booked; credits are booked once"), id=event.id)
            )
        groups = {self.group(self.chain.lots[p.lot].commodity) for p in event.outputs}
        period = accounting_period(event.time, self.period_months)
        booked = []
        for group in sorted(groups):
            site = self.model_of(event.facility, group)
            if site.model is not CustodyModel.MASS_BALANCE:
                continue
            for characteristic in CLAIMABLE:
                key = (event.facility, group, characteristic, period)
                self._check_open(key)
                amount = (
                    sum(
                        (self.chain.lots[p.lot].mass_of(p.quantity) or 0.0)
                        * self.share(p.lot, characteristic)
                        for p in event.inputs
                    )
                    * site.conversion_factor
                )
                if amount > 0:
                    self._accounts[key].credits += amount
                    booked.append((key, amount))
        self._booked.add(event.id)
        return booked

    def transfer(
        self,
        characteristic: Characteristic,
        source: tuple[str, str],
        target: tuple[str, str],
        quantity: float,
        time: str,
    ) -> None:
        """Move credits between two sites' accounts of one product group.

        Raises
        ------
        ClaimRefused
            The product groups differ, or the source account holds less than ``quantity``.
        """
        if source[1] != target[1]:
            raise ClaimRefused(
                msg(
                    N_(
                        "credits move only within one product group: {source} to {target} "
                        "is refused"
                    ),
                    source=source[1],
                    target=target[1],
                )
            )
        for site, group in (source, target):
            if self.model_of(site, group).model is not CustodyModel.MASS_BALANCE:
                raise ClaimRefused(
                    msg(
                        N_(
                            "credits move only between mass-balance accounts: {site} / {group} "
                            "applies no mass balance (give it the mass_balance model first)"
                        ),
                        site=site,
                        group=group,
                    )
                )
        period = accounting_period(time, self.period_months)
        key_from = (source[0], source[1], characteristic, period)
        key_to = (target[0], target[1], characteristic, period)
        available = self.available(key_from)
        if quantity > available + _SLACK:
            raise ClaimRefused(
                msg(
                    N_(
                        "transfer of {quantity} t {characteristic} from {site} refused: the "
                        "account holds {held} t, short by {short} t"
                    ),
                    quantity=Sig(quantity),
                    characteristic=characteristic.value,
                    site=source[0],
                    held=Sig(available),
                    short=Sig(quantity - available),
                )
            )
        self._check_open(key_to)
        self._accounts[key_from].transfers -= quantity
        self._accounts[key_to].transfers += quantity

    def available(self, key: _Key) -> float:
        """Return the balance of an account now (carried-in included)."""
        account = self._accounts.get(key, _Account())
        return self._carried_in(key) + account.credits + account.transfers - account.debits

    def _carried_in(self, key: _Key) -> float:
        site, group, characteristic, period = key
        previous = (site, group, characteristic, _previous(period, self.period_months))
        return self._closing.get(previous, 0.0)

    def _check_open(self, key: _Key) -> None:
        closed = self._closed.get((key[0], key[1], key[2]))
        if closed is not None and _period_key(key[3]) <= _period_key(closed):
            raise CustodyError(
                msg(
                    N_(
                        "the {characteristic} account of {site} / {group} is closed up to "
                        "{closed}; nothing can be booked in {period}"
                    ),
                    characteristic=key[2].value,
                    site=key[0],
                    group=key[1],
                    closed=closed,
                    period=key[3],
                )
            )

    # -- claims --------------------------------------------------------------------------
    def claim(self, claim: Claim) -> float:
        """Check and record a claim; return the quantity (t) it states.

        Raises
        ------
        ClaimRefused
            The lot's model cannot cover it; the message names the shortfall.
        """
        key = (claim.lot, claim.characteristic)
        if key in self.claims:
            raise ClaimRefused(
                msg(
                    N_(
                        "lot {lot} already carries a {characteristic} claim; a characteristic "
                        "is claimed once (no double counting)"
                    ),
                    lot=claim.lot,
                    characteristic=claim.characteristic.value,
                )
            )
        lot = self.chain.lot(claim.lot)
        mass = lot.mass_of(lot.quantity)
        if mass is None:
            raise ClaimRefused(
                msg(N_("lot {lot} states no mass (mass_t); a claim needs one"), lot=lot.id)
            )
        quantity = mass * claim.share
        site, group = self.site_of(lot), self.group(lot.commodity)
        model = self.model_of(site, group).model
        if model is CustodyModel.MASS_BALANCE:
            self._debit(lot, claim, site, group, quantity)
        elif model is CustodyModel.BOOK_AND_CLAIM:
            self._retire(lot, claim, group, quantity)
        else:
            self._physical(lot, claim, model)
        self.claims[key] = claim
        return quantity

    def _debit(self, lot: Lot, claim: Claim, site: str, group: str, quantity: float) -> None:
        event = self.chain.producer(lot.id)
        time = event.time if event is not None else ""
        key = (site, group, claim.characteristic, accounting_period(time, self.period_months))
        self._check_open(key)
        available = self.available(key)
        if quantity > available + _SLACK:
            raise ClaimRefused(
                msg(
                    N_(
                        "claim of {share} {characteristic} on lot {lot} ({quantity} t) refused: "
                        "the mass-balance account of {site} / {group} for {period} holds "
                        "{held} t, a shortfall of {short} t"
                    ),
                    share=Pct(claim.share),
                    characteristic=claim.characteristic.value,
                    lot=lot.id,
                    quantity=Sig(quantity),
                    site=site,
                    group=group,
                    period=key[3],
                    held=Sig(max(available, 0.0)),
                    short=Sig(quantity - max(available, 0.0)),
                )
            )
        self._accounts[key].debits += quantity

    def _retire(self, lot: Lot, claim: Claim, group: str, quantity: float) -> None:
        usable = [
            c
            for c in self.certificates.values()
            if c.characteristic is claim.characteristic and c.product_group == group
        ]
        left = sum(c.quantity - self.retired[c.id] for c in usable)
        if quantity > left + _SLACK:
            raise _uncovered(claim, group, quantity, left)
        need = quantity
        for cert in usable:
            take = min(need, cert.quantity - self.retired[cert.id])
            if take > 0:
                self.retired[cert.id] += take
                need -= take

    def _physical(self, lot: Lot, claim: Claim, model: CustodyModel) -> None:
        event = self.chain.producer(lot.id)
        inputs = event.inputs if event is not None and event.kind.converts else ()
        if model is CustodyModel.CONTROLLED_BLENDING or not inputs:
            covered = self.share(lot.id, claim.characteristic)
        else:
            covered = min(self.share(p.lot, claim.characteristic) for p in inputs)
            if model is CustodyModel.IDENTITY_PRESERVED:
                origins = self.chain.upstream(lot.id).ends(self.chain)
                if len(origins) != 1:
                    raise ClaimRefused(
                        msg(
                            N_(
                                "identity-preserved claim on lot {lot} refused: it comes from "
                                "{count} origin lots ({origins}), not one"
                            ),
                            lot=lot.id,
                            count=Num(len(origins)),
                            origins=", ".join(sorted(origins)[:5]),
                        )
                    )
        if claim.share > covered + _SLACK:
            raise ClaimRefused(
                msg(
                    N_(
                        "{model} claim of {share} {characteristic} on lot {lot} refused: its "
                        "inputs cover {covered}, a shortfall of {short} of the lot"
                    ),
                    model=model.value,
                    share=Pct(claim.share),
                    characteristic=claim.characteristic.value,
                    lot=lot.id,
                    covered=Pct(covered),
                    short=Pct(claim.share - covered),
                )
            )

    # -- period close --------------------------------------------------------------------
    def close_record(
        self, site: str, group: str, characteristic: Characteristic, period: str
    ) -> PeriodClose:
        """Return an account's figures for one period (carried-in, credits, debits)."""
        account = self._accounts.get((site, group, characteristic, period), _Account())
        return PeriodClose(
            site,
            group,
            characteristic,
            period,
            self._carried_in((site, group, characteristic, period)),
            account.credits,
            account.debits,
            account.transfers,
        )

    def close(self, site: str, group: str, period: str) -> list[PeriodClose]:
        """Close a site's accounts of a product group for a period; return their figures.

        After closing, nothing can be booked or claimed in that period or before it, and the
        balance carries into the next period.
        """
        closes = []
        for characteristic in CLAIMABLE:
            record = self.close_record(site, group, characteristic, period)
            if record.balance < -_SLACK:  # cannot happen: claims are refused first
                raise CustodyError(
                    msg(
                        N_("{site} / {group} {period} would close below zero"),
                        site=site,
                        group=group,
                        period=period,
                    )
                )
            self._closed[(site, group, characteristic)] = period
            self._closing[(site, group, characteristic, period)] = max(record.balance, 0.0)
            closes.append(record)
        return closes

    def carry(self, closings: Mapping[_Key, float]) -> str | None:
        """Start from known closing balances of one period; return the period after it.

        The accounts are closed up to that period, so nothing can be booked before it.
        """
        since = None
        for key, balance in closings.items():
            self._closing[key] = balance
            self._closed[(key[0], key[1], key[2])] = key[3]
            since = _next(key[3], self.period_months)
        return since

    def accounts(self) -> list[_Key]:
        """Return the keys of every account with an entry."""
        return sorted(self._accounts)


def replay(
    chain: Chain,
    models: Mapping[tuple[str, str], SiteModel],
    claims: list[Claim],
    *,
    product_groups: Mapping[str, str] | None = None,
    period_months: int = DEFAULT_PERIOD_MONTHS,
    certificates: Mapping[str, Certificate] | None = None,
    transfers: Iterable[Transfer] = (),
    given: Iterable[Claim] = (),
    accounts: Collection[tuple[str, str]] | None = None,
    through: str | None = None,
    carried: Mapping[_Key, float] | None = None,
) -> Accounting:
    """Return the accounting of a whole chain, period after period.

    For each accounting period in time order: every converting event of the period credits
    its mass-balance accounts, then the period's credit transfers move credits between
    sites, then every claim on a lot made in the period is checked, in the order of
    :func:`claim_order` whatever the order of ``claims`` (so a claim may use any credit of
    its own period, and sees the claims of its period upstream of it), then every account
    closes and carries its balance into the next period. A claim or transfer that cannot be
    covered raises :class:`~sinergi.errors.ClaimRefused` naming the shortfall.

    A store that reads only part of a chain restricts the replay: ``accounts`` are the
    (site, product group) accounts whose every event, claim and transfer the chain holds;
    only their sites' events are booked and only they are closed. ``given`` are claims
    already accepted on lots outside them: recorded at the same moment as a checked claim
    would be (in the same order, so the shares they fix reach the same events and claims),
    but not checked again.
    ``through`` extends the replay to that period (closing the empty ones before it), so a
    period after the last entry still shows the balance carried into it.
    ``carried`` are closing balances of ``accounts`` at one earlier period, already known
    (a store keeps them): the replay starts the period after it, with those accounts closed
    up to it, and the chain need only hold the events, claims and transfers from then on
    (given claims on lots made before are in place from the start, as they would be).
    """
    accounting = Accounting(
        chain,
        models,
        dict(product_groups or {}),
        period_months,
        certificates=dict(certificates or {}),
    )
    sites = None if accounts is None else {site for site, _group in accounts}
    since = accounting.carry(carried or {})
    by_period: dict[str, list[Event]] = defaultdict(list)
    for event in chain.events:
        if sites is None or event.facility in sites:
            by_period[accounting_period(event.time, period_months)].append(event)
    claims_by_period = _claims_by_period(accounting, claims, given, since)
    transfers_by_period: dict[str, list[Transfer]] = defaultdict(list)
    for transfer in transfers:
        transfers_by_period[accounting_period(transfer.time, period_months)].append(transfer)
    closing = [
        key
        for key, model in models.items()
        if model.model is CustodyModel.MASS_BALANCE and (accounts is None or key in accounts)
    ]
    periods = set(by_period) | set(claims_by_period) | set(transfers_by_period)
    if since is not None:
        periods.add(since)
    if through is not None and periods:
        periods.add(through)
    for period in _consecutive(periods, period_months):
        for event in by_period.get(period, []):
            accounting.book(event)
        for transfer in transfers_by_period.get(period, []):
            _apply(accounting, transfer)
        for claim, checked in claims_by_period.get(period, []):
            if checked:
                accounting.claim(claim)
            else:
                accounting.claims[(claim.lot, claim.characteristic)] = claim
        for site, group in closing:
            accounting.close(site, group, period)
    return accounting


def _claims_by_period(
    accounting: Accounting, claims: list[Claim], given: Iterable[Claim], since: str | None
) -> dict[str, list[tuple[Claim, bool]]]:
    """Group claims (checked or given) by the period their lot was made in.

    A given claim on a lot made before ``since`` is recorded at once: it was in place by then.
    """
    out: dict[str, list[tuple[Claim, bool]]] = defaultdict(list)
    for claim, checked in (*((c, True) for c in claims), *((c, False) for c in given)):
        producer = accounting.chain.producer(claim.lot)
        if producer is None:
            raise ClaimRefused(
                msg(N_("claim on lot {lot}: the lot is not in the chain"), lot=claim.lot)
            )
        period = accounting_period(producer.time, accounting.period_months)
        if since is not None and _period_key(period) < _period_key(since):
            if checked:
                raise ClaimRefused(
                    msg(
                        N_("claim on lot {lot}: its period {period} is closed"),
                        lot=claim.lot,
                        period=period,
                    )
                )
            accounting.claims[(claim.lot, claim.characteristic)] = claim
            continue
        out[period].append((claim, checked))
    for listed in out.values():
        listed.sort(key=lambda item: claim_order(accounting.chain, item[0]))
    return out


def claim_order(chain: Chain, claim: Claim) -> tuple[int, str, str]:
    """Return the key that orders the claims of one period (the replay checks them so).

    Claims keep no stored order, yet a physical claim sees the shares the claims before it
    fixed, and of several claims an account cannot all cover the later is refused. So the
    claims of a period are taken by where the claimed lot's producer stands in the chain
    (upstream lots first: a claim sees every claim upstream of it made in its period), then
    by lot and characteristic. The order depends only on the recorded order of the events,
    so a replay of part of the chain orders the claims it holds as a whole-chain replay does.
    """
    return chain.position(claim.lot), claim.lot, claim.characteristic.value


def _apply(accounting: Accounting, transfer: Transfer) -> None:
    try:
        accounting.transfer(
            transfer.characteristic,
            (transfer.from_site, transfer.product_group),
            (transfer.to_site, transfer.to_product_group),
            transfer.quantity,
            transfer.time,
        )
    except ClaimRefused as exc:
        raise ClaimRefused(
            msg(N_("transfer {id}: {detail}"), id=transfer.id, detail=exc.detail)
        ) from None


def _next(period: str, months: int) -> str:
    year, index = period.split("-P")
    if int(index) < 12 // months:
        return f"{year}-P{int(index) + 1}"
    return f"{int(year) + 1}-P1"


def _period_key(period: str) -> tuple[int, int]:
    year, index = period.split("-P")
    return int(year), int(index)


def _consecutive(periods: set[str], months: int) -> list[str]:
    """Return every period from the first to the last of ``periods`` (gaps filled)."""
    if not periods:
        return []
    first, last = min(periods, key=_period_key), max(periods, key=_period_key)
    out = [last]
    while out[-1] != first:
        out.append(_previous(out[-1], months))
    return out[::-1]


def _uncovered(claim: Claim, group: str, quantity: float, left: float) -> ClaimRefused:
    return ClaimRefused(
        msg(
            N_(
                "claim of {share} {characteristic} on lot {lot} ({quantity} t) refused: "
                "unretired certificates for {group} cover {left} t, a shortfall of {short} t"
            ),
            share=Pct(claim.share),
            characteristic=claim.characteristic.value,
            lot=claim.lot,
            quantity=Sig(quantity),
            group=group,
            left=Sig(left),
            short=Sig(quantity - left),
        )
    )


def period_order(period: str) -> tuple[int, int]:
    """Return a sortable key of an accounting period (``2026-P2`` -> ``(2026, 2)``)."""
    return _period_key(period)


def retire_in_order(
    claims: Iterable[tuple[Claim, float]],
    certificates: Iterable[Certificate],
    group: str,
) -> None:
    """Check book-and-claim claims of one pool against its certificates, as a replay does.

    ``claims`` are every claim on a lot of ``group`` at a book-and-claim site with one
    characteristic (and the quantity in t it states), in the order a replay checks them (by
    the period of the lot, then by :func:`claim_order`); ``certificates`` are those of the same
    characteristic and group. Each claim retires what it states from what is left; the first
    one the certificates cannot cover is refused with the same words as
    :meth:`Accounting.claim`.

    Raises
    ------
    ClaimRefused
        A claim exceeds the certificates left unretired by the claims before it.
    """
    left = sum(c.quantity for c in certificates)
    for claim, quantity in claims:
        if quantity > left + _SLACK:
            raise _uncovered(claim, group, quantity, left)
        left -= min(quantity, left)


def close_ledger(
    accounts: Collection[tuple[str, str]],
    models: Mapping[tuple[str, str], SiteModel],
    entries: Mapping[_Key, tuple[float, float]],
    transfers: Iterable[Transfer] = (),
    *,
    period_months: int = DEFAULT_PERIOD_MONTHS,
    through: str | None = None,
    carried: Mapping[_Key, float] | None = None,
) -> Accounting | None:
    """Close mass-balance accounts period by period from their journal; ``None`` if it fails.

    ``entries`` are the credits and debits (t) of each account and period, summed from a
    journal whose every row is what :meth:`Accounting.book` and :meth:`Accounting.claim`
    booked in a replay. The periods run as in :func:`replay` (credits, then the period's
    transfers in time order, then the claims, then the close), so the figures are those a
    replay of the accounts gives, without reading an event. A transfer or a period's claims
    that the balance cannot cover gives ``None``: the caller then replays the accounts, which
    refuses with the shortfall named (the journal holds sums, not the claims one by one).
    """
    accounting = Accounting(Chain(), models, {}, period_months)
    since = accounting.carry(carried or {})
    by_period: dict[str, list[tuple[_Key, float, float]]] = defaultdict(list)
    for key, (credit, debit) in entries.items():
        if (key[0], key[1]) in accounts:
            by_period[key[3]].append((key, credit, debit))
    transfers_by_period: dict[str, list[Transfer]] = defaultdict(list)
    for transfer in transfers:
        transfers_by_period[accounting_period(transfer.time, period_months)].append(transfer)
    closing = [
        key for key, m in models.items() if m.model is CustodyModel.MASS_BALANCE and key in accounts
    ]
    periods = set(by_period) | set(transfers_by_period)
    if since is not None:
        periods.add(since)
    if through is not None and periods:
        periods.add(through)
    for period in _consecutive(periods, period_months):
        rows = sorted(by_period.get(period, []))
        if not _ledger_period(accounting, rows, transfers_by_period.get(period, [])):
            return None
        for site, group in closing:
            accounting.close(site, group, period)
    return accounting


def _ledger_period(
    accounting: Accounting, rows: list[tuple[_Key, float, float]], transfers: list[Transfer]
) -> bool:
    """Book one period's credits, transfers and debits; return whether all were covered."""
    for key, credit, _debit in rows:
        if credit:
            accounting._accounts[key].credits += credit
    try:
        for transfer in transfers:
            _apply(accounting, transfer)
    except CustodyError:
        return False
    for key, _credit, debit in rows:
        if debit:
            if accounting.available(key) - debit < -_SLACK:
                return False
            accounting._accounts[key].debits += debit
    return True
