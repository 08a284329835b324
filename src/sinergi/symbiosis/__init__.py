"""Industrial symbiosis: substitution rules, candidate exchanges, optimisation, benefit sharing.

``candidates`` pairs supplies (wastes, by-products, heat, water) with demands (virgin inputs) by
rule; ``problem`` is the array contract handed to ``optimise`` (HiGHS LP/MILP, Pareto front);
``sharing`` splits the benefit of an accepted set of exchanges.
"""

from __future__ import annotations

from sinergi.symbiosis.problem import ArcGroup, ExchangeProblem

__all__ = ["ArcGroup", "ExchangeProblem"]
