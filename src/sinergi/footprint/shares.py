"""How much of a footprint rests on which data: primary (plant) data and illustrative values.

Two questions, two measures:

- :func:`primary_share` answers "how much of the total is the plant's own data?" for the
  Battery Regulation's secondary-data share. It counts one tier: the emissions the plant's
  own activity data (an amount it reported) causes at the plant and at its *immediate*
  suppliers, with each supplier's direct emission factor. Everything further upstream rests
  on generic datasets of the suppliers' supply chains, so it is secondary data even when the
  plant's own amount scales it. This follows the usual split of product footprint methods:
  company-specific activity data for the processes the company runs, secondary datasets for
  its suppliers' chains.
- :func:`share_resting_on` answers "how much of the total do these values decide?": it
  removes every flagged exchange and solves again, so it counts everything carried through
  it. That is the right measure for illustrative values (all of it moves with them) and,
  for plant values, the figure shown as "decided by plant values"; it is never the primary
  share, because a cell plant's own "kg cathode per kWh" would then make the whole generic
  cathode chain count as plant data.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from sinergi.footprint.contributions import NEGLIGIBLE
from sinergi.footprint.network import ELECTRICITY, Entry, Network

#: Flows that carry a dataset's whole life-cycle amount in one number (characterisation.yaml's
#: ``co2e_lifecycle``: hydro and solar life cycles, cradle-to-gate salts). They are never a
#: supplier's *direct* emission, so the supplier tier of :func:`primary_share` leaves them out.
AGGREGATED_FLOWS = frozenset({"co2e_lifecycle"})


def primary_share(
    net: Network,
    supply: npt.NDArray[np.float64],
    total: float,
    plant: Collection[str],
) -> float:
    """Return the share of ``total`` resting on the plant's own data, one supplier tier deep.

    For every exchange on the chain whose amount reads a plant parameter:

    - an emission (biosphere entry) counts with its characterised amount at the plant's
      process (amount × characterisation factor × the process's supply);
    - an input (technosphere entry) counts the emissions it causes at its immediate
      supplier only: amount × the plant process's supply ÷ the supplier's production ×
      the supplier's direct characterised emissions per unit (its own B column, without
      :data:`AGGREGATED_FLOWS`). The supplier's own inputs, and everything behind them, are
      secondary data. An electricity mix column is the plant's split of its purchase, not a
      supplier: its share of each power station is followed to that station.

    Each process's counted part is capped at its own direct emissions, so two plant
    exchanges reaching one process never count it twice over.

    Parameters
    ----------
    net
        The network the footprint was solved on.
    supply
        Supply vector of the footprint.
    total
        The footprint's score (same demand as ``supply``).
    plant
        Names of the parameters that hold the plant's own values.

    Returns
    -------
    float
        Between 0 and 1; 0 without plant parameters or with a zero total.
    """
    if not total or not plant:
        return 0.0
    emitted = primary_emissions(net, supply, set(plant))
    return min(1.0, max(0.0, float(emitted.sum()) / total))


def primary_emissions(
    net: Network, supply: npt.NDArray[np.float64], plant: set[str]
) -> npt.NDArray[np.float64]:
    """Return, by matrix column, the t CO2e that :func:`primary_share` counts as plant data."""
    cf = np.asarray(net.characterization, dtype=float)
    aggregated = np.array([f in AGGREGATED_FLOWS for f in net.flow_labels], dtype=bool)
    direct_per_unit = np.asarray(cf @ net.biosphere, dtype=float)
    own_per_unit = np.asarray((cf * ~aggregated) @ net.biosphere, dtype=float)
    production = np.asarray(net.technosphere.diagonal(), dtype=float)
    active = np.abs(supply) > NEGLIGIBLE
    at_plant = np.zeros(len(supply))
    tier = np.zeros(len(supply))  # activity of each immediate supplier the plant's data causes
    for e in net.entries:
        if not plant.intersection(e.parameters):
            continue
        j = int(net.columns.index([e.column])[0])
        if not active[j]:
            continue
        if e.matrix == "biosphere":
            flow = int(net.flows.index([e.row])[0])
            at_plant[j] += cf[flow] * e.amount * supply[j]
        else:
            k = int(net.columns.index([e.row])[0])
            tier[k] += -e.amount * supply[j] / production[k]
    tier = _through_mixes(net, tier, production)
    counted = at_plant + own_per_unit * tier
    direct = direct_per_unit * supply
    return np.clip(counted, np.minimum(direct, 0.0), np.maximum(direct, 0.0))


def _through_mixes(
    net: Network, tier: npt.NDArray[np.float64], production: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Move activity caused at electricity mix columns on to the power stations they split."""
    out = tier.copy()
    a = sp.csc_array(net.technosphere)
    for m, label in enumerate(net.labels):
        if not label.startswith(f"{ELECTRICITY}@") or not out[m]:
            continue
        start, end = a.indptr[m], a.indptr[m + 1]
        for p, amount in zip(a.indices[start:end], a.data[start:end], strict=True):
            if p != m:
                out[p] += -amount * out[m] / production[p]
        out[m] = 0.0
    return out


def share_resting_on(
    net: Network,
    supply: npt.NDArray[np.float64],
    demand: npt.NDArray[np.float64],
    total: float,
    flagged: Callable[[Entry], bool],
    *,
    factors: bool = False,
) -> float:
    """Return the share of ``total`` that disappears when the flagged exchanges are removed.

    An exchange that reads a flagged value (an illustrative placeholder, or the plant's own
    data) is taken out of A or B, and with ``factors`` the flows whose characterisation
    factor is illustrative too; the system is solved again. The share is what those values
    decide: for an input such as "kg cathode per kWh" it is everything carried through it, not
    only its direct emissions. When only B entries are flagged, one product with the kept
    supply gives the same number without a second solve.
    """
    if not total:
        return 0.0
    active = np.abs(supply) > NEGLIGIBLE
    tech = [
        e
        for e in net.entries
        if e.matrix == "technosphere"
        and flagged(e)
        and active[int(net.columns.index([e.column])[0])]
    ]
    bio = [e for e in net.entries if e.matrix == "biosphere" and flagged(e)]
    removed_b = _entries_matrix(net, bio, net.biosphere.shape, biosphere=True)
    cf = net.characterization * (~net.illustrative_factor if factors else True)
    kept_b = net.biosphere - removed_b
    if not tech:
        sourced = float(cf @ (kept_b @ supply))
        return min(1.0, max(0.0, 1.0 - sourced / total))
    kept_a = net.technosphere - _entries_matrix(net, tech, net.technosphere.shape)
    try:
        kept_supply = spla.spsolve(sp.csc_matrix(kept_a), demand)
    except RuntimeError:
        return 1.0
    sourced = float(cf @ (kept_b @ np.asarray(kept_supply)))
    return min(1.0, max(0.0, 1.0 - sourced / total))


def _entries_matrix(
    net: Network, entries: list[Entry], shape: tuple[int, int], *, biosphere: bool = False
) -> sp.csc_array:
    rows = (net.flows if biosphere else net.columns).index([e.row for e in entries])
    cols = net.columns.index([e.column for e in entries])
    return sp.csc_array(([e.amount for e in entries], (rows, cols)), shape=shape)
