"""The one error hierarchy of sinergi.

Every failure a user can cause raises a subclass of :class:`SinergiError` whose message
names the place (file, sheet, row, column, field, node id) and says how to fix it.

A message a dashboard page or the service can show is raised as a
:class:`~sinergi.i18n.messages.Msg` (an English catalogue sentence marked with ``N_`` and its
named arguments), so that the same error reads in Indonesian on an Indonesian page:

>>> from sinergi.i18n import N_
>>> from sinergi.i18n.messages import msg
>>> exc = NotFound(msg(N_("no submission {id}"), id="7"))
>>> str(exc)
'no submission 7'
>>> exc.localised("id")
'tidak ada pengajuan 7'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sinergi.i18n import N_, gettext
from sinergi.i18n.messages import Msg, Num


class SinergiError(Exception):
    """Root of every error sinergi raises on purpose.

    The message is English text or a :class:`~sinergi.i18n.messages.Msg`. ``str(exc)`` is
    always English (logs, the command line's default); :meth:`localised` is what a reader of a
    given language sees.
    """

    @property
    def detail(self) -> Msg | str:
        """Return the message as raised: a :class:`~sinergi.i18n.messages.Msg` or English.

        For an error that wraps another's message in its own sentence, keeping it
        translatable.
        """
        first = self.args[0] if len(self.args) == 1 else None
        return first if isinstance(first, Msg) else str(self)

    def localised(self, lang: str) -> str:
        """Return the message in ``lang`` (``id`` or ``en``).

        An error still raised with a plain English string (one no page or API route shows)
        falls back to that string.
        """
        first = self.args[0] if len(self.args) == 1 else None
        return first.render(lang) if isinstance(first, Msg) else str(self)


class UsageError(SinergiError):
    """A command got an argument or option value it cannot use (an unknown name, a bad pair)."""


class ModelError(SinergiError):
    """The flow network is inconsistent."""


class UnknownCommodity(ModelError):
    """A flow or record names a commodity that is not in the catalogue."""


class UnknownNode(ModelError):
    """A flow or record names a node that does not exist."""


class DuplicateId(ModelError):
    """Two nodes or records share an id that must be unique."""


class ConsistencyError(ModelError):
    """One or more consistency checks failed under ``strict=True``."""


class UnitError(SinergiError):
    """A unit is unknown or cannot be converted to the commodity's canonical unit.

    ``reason`` says why: ``"unknown"``, ``"ambiguous"``, ``"dimension"`` (it measures
    ``measures`` instead) or ``"range"`` (the converted value cannot be stored).
    """

    def __init__(
        self, message: str | Msg, *, reason: str = "unknown", measures: object = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.measures = measures


class PeriodError(SinergiError):
    """A period string is not a month (``2024-03``) or a year (``2024``)."""


class ReferenceDataError(SinergiError):
    """A shipped or user-supplied reference data file is malformed."""


class InputError(SinergiError):
    """An input file was rejected; ``issues`` lists its located problems.

    Parameters
    ----------
    issues
        The problems found, each naming its place; the file wrote nothing.
    counts
        Per file, how many problems of each code were found in all (listed or not); when
        a file has more problems than a reader lists, the rest are only counted here.
    limit
        How many problems were listed at most per file, if a limit applied.
    """

    def __init__(
        self,
        issues: Sequence[object],
        *,
        counts: Mapping[str, Mapping[str, int]] | None = None,
        limit: int | None = None,
    ) -> None:
        self.issues = list(issues)
        self.counts = {file: dict(codes) for file, codes in (counts or {}).items()}
        self.limit = limit
        self.total = max(len(self.issues), sum(sum(c.values()) for c in self.counts.values()))
        lines = [str(issue) for issue in self.issues[:20]]
        more = self.total - len(lines)
        suffix = f"\n... and {more} more" if more > 0 else ""
        super().__init__(
            f"{self.total} problem(s) found; nothing was written:\n" + "\n".join(lines) + suffix
        )

    def localised(self, lang: str) -> str:
        """Return the count and the first listed problems, each with its place, in ``lang``."""
        lines = []
        for issue in self.issues[:20]:
            if isinstance(issue, Msg):
                lines.append(issue.render(lang))
                continue
            render = getattr(issue, "localised", None)
            lines.append(str(render(lang)) if callable(render) else str(issue))
        head = gettext(lang, N_("{count} problem(s) found; nothing was written"))
        more = self.total - len(lines)
        tail = gettext(lang, N_("... and {count} more")) if more > 0 else ""
        return "\n".join(
            [head.format(count=Num(self.total).render(lang)) + ":", *lines]
            + ([tail.format(count=Num(more).render(lang))] if tail else [])
        )

    @property
    def unlisted(self) -> int:
        """Return how many problems were counted but not listed."""
        return self.total - len(self.issues)


class UnsafeInput(SinergiError):
    """An input file was refused before parsing (too large, macro-enabled, zip bomb)."""


# --- intake, files and store -------------------------------------------------------------


class InvalidText(ModelError):
    """An id, name or note is too long or holds a control character (such as NUL)."""


class NodeConflictError(SinergiError):
    """A node id is stored with another kind or in another park than the data says.

    The data is at fault, not the database: the data must use other ids, or the stored
    nodes must be deleted first (an import never moves a node).
    """


class StoreError(SinergiError):
    """The database cannot be reached, opened or migrated."""


class NotFound(StoreError):
    """The requested park or record is not in the database."""


class StoreIntegrityError(StoreError):
    """The database rejected the rows (missing node, duplicate key); nothing was written."""


class FileProblem(SinergiError):
    """A file or folder cannot be read or written (missing, unreadable, not writable)."""


class ReportError(SinergiError):
    """A report could not be rendered (a missing optional dependency, a forbidden fetch)."""


class FootprintError(SinergiError):
    """A footprint (matrix LCA) calculation cannot run on the matrices given."""


class InvalidMatrix(FootprintError):
    """A technosphere, biosphere, factor or demand array has the wrong shape or a bad entry."""


class UnknownMatrixId(FootprintError):
    """An id is not among the ids that label the rows or columns of a matrix."""


class ZeroProduction(FootprintError):
    """A process has no production amount (zero) on the technosphere diagonal."""


class SingularTechnosphere(FootprintError):
    """The technosphere matrix cannot be factorised: some processes have no unique supply."""


class MissingFactor(FootprintError):
    """An emitted elementary flow has no characterisation factor (missing, not zero)."""


class InvalidUncertainty(FootprintError):
    """An uncertainty specification names a bad entry, distribution or parameter."""


class SolverUnavailable(FootprintError):
    """The requested sparse-solver backend is not installed."""


class IllConditionedTechnosphere(UserWarning):
    """The technosphere is so ill-conditioned that solved supplies may lose many digits."""


# --- assessment ------------------------------------------------------------------------


class JudgementsError(InputError):
    """A judgements file is for another pack, park or period, or has a bad row (each located)."""


# --- symbiosis -------------------------------------------------------------------------


class SymbiosisError(SinergiError):
    """A symbiosis rule, candidate set or exchange optimisation cannot be used as given."""


class SymbiosisRuleError(SymbiosisError):
    """A substitution-rule, transport or sector-profile file is invalid (file, id and field)."""


class LocationError(SymbiosisError):
    """A park's coordinates are missing where needed or fall outside Indonesia's bounding box."""


class WorkflowError(SymbiosisError):
    """A status change that the exchange workflow does not allow, or one missing its reason."""


class InvalidGame(SymbiosisError):
    """A benefit-sharing game, partner map or split weight cannot be used (names the entry)."""


# --- circularity -----------------------------------------------------------------------


class NationalError(SinergiError):
    """The smelter registry, national accounts or a national policy scenario cannot be used."""


class RegistryError(NationalError):
    """The smelter registry is inconsistent (repeated ids, units serving unknown smelters)."""


class NationalScenarioError(NationalError):
    """A national policy scenario file names unknown units, routes or years."""


class CircularityError(SinergiError):
    """A stock model, recycling or swap-station calculation got inputs that make no sense."""


class InvalidLifetime(CircularityError):
    """A lifetime parameter makes no distribution (non-positive mean, std, scale or shape)."""


class InvalidStockInput(CircularityError):
    """An inflow or stock series is negative, not finite, or has the wrong shape."""


class InfeasibleStock(CircularityError):
    """A stock series cannot be held without a negative inflow (a stock falling too fast)."""


class ScenarioError(CircularityError):
    """A battery scenario or recycling data file is malformed or names something unknown."""


class SwapInputError(CircularityError):
    """A swap-station input (riders, distance, pack, rate, target, shares) makes no sense."""


class UnstableSwapStation(SwapInputError):
    """Swaps arrive faster than the chargers can recharge packs, so queues grow without bound."""


# --- emobility --------------------------------------------------------------------------


class EmobilityError(SinergiError):
    """An e-motorcycle supply-chain calculation (TKDN, localisation, transition, packs) failed."""


class BillOfMaterialsError(EmobilityError):
    """A bill of materials is inconsistent (a part of an unknown component, no parts, bad share)."""


class LocalisationError(EmobilityError):
    """The localisation optimisation got a target it cannot use or the solver failed."""


class TransitionError(EmobilityError):
    """A transition scenario, sales series or supplier table cannot be used as given."""


class PackSharingError(EmobilityError):
    """A standard-vs-proprietary pack comparison got inputs that make no sense."""


# --- footprint inventories ---------------------------------------------------------------


class InventoryError(FootprintError):
    """A route inventory (process, exchange, parameter, formula) is malformed."""


class UnknownName(InventoryError):
    """A product, route, scenario, parameter or choice name is not defined."""


class UnitMismatch(InventoryError):
    """An exchange's unit differs from the reference unit of the product it asks for."""


class MissingProvider(InventoryError):
    """An exchange asks for a product that no process produces."""


class InvalidReferenceOutput(InventoryError):
    """A process's reference output is zero or negative, so it cannot be scaled."""


class AllocationError(InventoryError):
    """A multi-output process cannot be allocated as asked (missing price or substitute)."""


class PlantDataRequired(InventoryError, UsageError):
    """A product was asked whose process needs values only the plant can supply."""


class PlantFlowsMissing(PlantDataRequired):
    """A plant's reported flows lack what its footprint needs (an output, a required input)."""


class PlantDataNotApproved(PlantDataRequired):
    """A plant has no approved or locked data for the period and drafts were not asked for."""


# --- platform service (accounts, submissions, audit ledger, jobs) ----------------------------


class ServiceError(SinergiError):
    """The platform service refused an operation (accounts, workflow, ledger, jobs)."""


class AccountError(ServiceError):
    """A user, organisation, role or grant cannot be created or changed as asked."""


class AuthenticationFailed(ServiceError):
    """A login or token was not accepted (never says which part was wrong)."""


class SubmissionError(ServiceError):
    """A submission cannot be created, changed or moved as asked."""


class TransitionRefused(SubmissionError):
    """The submission workflow does not allow this move for this role (or a comment is missing)."""


class StaleVersion(SubmissionError):
    """Another user changed the object first; reload it and try again (HTTP 409)."""


class LockedData(SubmissionError):
    """The data of a locked period cannot change; file a correction (a new version) instead."""


class LedgerBroken(ServiceError):
    """The audit ledger's hash chain does not verify; names the first bad entry."""


class PackConflict(ServiceError):
    """A standards pack cannot be stored: its id is a shipped pack's, or its version is taken."""


class ImportRefused(ServiceError):
    """A background import would change parks its user may not import into; nothing written."""


class JobError(ServiceError):
    """A background job cannot be started, read or cancelled as asked."""


# --- chain of custody and battery passport ------------------------------------------------------


class CustodyError(SinergiError):
    """A lot, event, custody model or claim cannot be used as given (names the lot or event)."""


class UnknownLot(CustodyError):
    """An event or query names a lot that the chain does not hold."""


class MassImbalance(CustodyError):
    """A transformation's outputs plus losses do not equal its inputs within the stated yield."""


class ClaimRefused(CustodyError):
    """A claim that the custody model cannot cover; the message names the shortfall."""


class PassportError(SinergiError):
    """A battery passport cannot be built as asked (unknown pack, audience or missing data)."""
