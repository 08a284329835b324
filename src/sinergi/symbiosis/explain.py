"""Plain-language explanations of candidates and recommended exchanges, in English or Indonesian.

An explanation is composed from a row of plain data (the keys of
:meth:`~sinergi.symbiosis.candidates.Exchange.row`), so the engine, the JSON and the HTML report
all say the same thing in either language. A recommended exchange is explained by its
**solved** flow: what it sends, which share of the supply that is, what it replaces at the
receiver and which share of the receiver's use that is, the PP 22/2021 class of the stream, the
money and CO2e with their direction, and the limit that stopped the flow from being larger. A
lead (a candidate whose amount is unknown) says what could be sent and what data is missing.

Sentences go through the message catalogues (:mod:`sinergi.i18n`); numbers, money and shares
use the language's formats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sinergi.i18n import N_, format_idr, format_number, format_percent_value
from sinergi.i18n import gettext as _

#: How a transport mode id reads in a sentence (modes from a user's file read as their id).
MODE_WORDS = {"truck": N_("truck"), "ship": N_("ship"), "pipeline": N_("pipeline")}

#: Where a supply goes now, as a sentence reads it.
FATE_WORDS = {
    "landfill": N_("landfill"),
    "open_dump": N_("open dumping"),
    "waste_handler": N_("a licensed B3 waste handler"),
    "discharge": N_("discharge to the environment"),
    "recycler": N_("a recycler"),
    "recovery": N_("energy recovery"),
}


def amount_text(value: float | None, lang: str) -> str:
    """Return a quantity with as many decimals as its size needs (none from 100 up)."""
    if value is None:
        return "–"
    size = abs(value)
    digits = 0 if size >= 100 else 1 if size >= 1 else 3
    return format_number(value, lang, digits)


def co2e_text(t_co2e: float, lang: str) -> str:
    """Return ``12.5 t CO2e avoided``, or ``an increase of 3.1 t CO2e`` when negative."""
    if t_co2e < 0:
        return _(lang, "an increase of {amount} t CO2e").format(amount=amount_text(-t_co2e, lang))
    return _(lang, "{amount} t CO2e avoided").format(amount=amount_text(t_co2e, lang))


def money_text(idr: float, lang: str) -> str:
    """Return ``net benefit Rp…``, or ``net cost Rp…`` when negative."""
    if idr < 0:
        return _(lang, "net cost {amount}").format(amount=format_idr(-idr, lang))
    return _(lang, "net benefit {amount}").format(amount=format_idr(idr, lang))


def waste_class_text(kind: str | None, hazard: str | None, code: str | None, lang: str) -> str:
    """Return the stream's PP 22/2021 class, or ``""`` for a stream that is not a waste."""
    if kind != "waste":
        return ""
    if hazard == "b3":
        text = _(lang, "PP 22/2021: hazardous (B3) waste")
    elif hazard == "non_b3":
        text = _(lang, "PP 22/2021: registered non-B3 waste (Annex XIV)")
    else:
        return _(lang, "PP 22/2021 class not recorded: check Annexes IX and XIV before use")
    if code:
        return _(lang, "{text}, waste code {code}").format(text=text, code=code)
    return _(lang, "{text}, waste code not recorded").format(text=text)


def binding_text(binding: Sequence[Mapping[str, Any]], lang: str) -> str:
    """Return what stopped the flow from being larger, e.g. ``the supplier's whole supply``."""
    parts = []
    for limit in binding:
        kind = limit["limit"]
        if kind == "supply":
            parts.append(_(lang, "the supplier's whole supply is used"))
        elif kind == "demand":
            parts.append(_(lang, "the receiver's whole demand is met"))
        elif kind == "rule_share":
            parts.append(
                _(lang, "rule {rule} allows at most {share} of the receiver's use").format(
                    rule=limit["rule"], share=format_percent_value(limit["share"], lang)
                )
            )
        elif kind == "joint_share":
            parts.append(
                _(lang, "all substitutes together may replace at most {share} of it").format(
                    share=format_percent_value(limit["share"], lang)
                )
            )
        elif kind == "capacity":
            parts.append(_(lang, "the link's capacity"))
    if not parts:
        return _(lang, "no limit binds: other exchanges use the rest more profitably")
    return "; ".join(parts)


def _name(row: Mapping[str, Any], key: str, lang: str) -> str:
    names = row[key]
    return str(names.get(lang) or names.get("en") or "")


def exchange_sentence(row: Mapping[str, Any], lang: str) -> str:
    """Return the explanation of a recommended exchange (its solved flow) in ``lang``."""
    unit = row["unit"]
    mode = MODE_WORDS.get(row["mode"])
    parts = [
        _(
            lang,
            "{supplier} ({supplier_park}) sends {amount} {unit} of {commodity} to {receiver} "
            "({receiver_park}) by {mode} over {km} km.",
        ).format(
            supplier=row["supplier"],
            supplier_park=row["supplier_park"],
            amount=amount_text(row["amount"], lang),
            unit=unit,
            commodity=_name(row, "commodity_name", lang),
            receiver=row["receiver"],
            receiver_park=row["receiver_park"],
            mode=_(lang, mode) if mode else row["mode"],
            km=format_number(row["distance_km"], lang, 1),
        ),
        _(
            lang,
            "That is {share} of the {total} {unit} the supplier now sends to {fate}.",
        ).format(
            share=format_percent_value(row["share_of_supply"], lang),
            total=amount_text(row["supply_amount"], lang),
            unit=unit,
            fate=_(lang, FATE_WORDS.get(row["fate_now"], row["fate_now"])),
        ),
        _(
            lang,
            "It replaces {replaced} {replaced_unit} of {input}, {share} of the receiver's "
            "{total} {replaced_unit}.",
        ).format(
            replaced=amount_text(row["replaced_amount"], lang),
            replaced_unit=row["replaced_unit"],
            input=_name(row, "replaces_name", lang),
            share=format_percent_value(row["share_of_demand"], lang),
            total=amount_text(row["demand_amount"], lang),
        ),
    ]
    waste = waste_class_text(row["commodity_kind"], row["hazard"], row["waste_code"], lang)
    if waste:
        parts.append(waste + ".")
    parts.append(
        _(lang, "Result: {money}; {co2e}.").format(
            money=money_text(row["net_benefit_idr"], lang),
            co2e=co2e_text(row["co2e_avoided_t"], lang),
        )
    )
    parts.append(_(lang, "Limited by: {limits}.").format(limits=binding_text(row["binding"], lang)))
    parts.append(
        _(lang, "Rule: {name} ({rule}).").format(
            name=_name(row, "rule_name", lang), rule=row["rule_id"]
        )
    )
    return " ".join(parts)


def candidate_sentence(row: Mapping[str, Any], lang: str) -> str:
    """Return the explanation of a candidate before optimisation (the most it could carry).

    A candidate whose amount is unknown is a lead: the sentence says which data to collect.
    """
    mode = MODE_WORDS.get(row["mode"])
    if row["max_flow"] is None:
        message = N_(
            "{supplier} ({supplier_park}) could send {commodity} now going to {fate} to "
            "{receiver} ({receiver_park}) in place of {input}, by {mode} over {km} km (rule "
            "{rule}). The amount is unknown: ask both companies for their quantities."
        )
    else:
        message = N_(
            "{supplier} ({supplier_park}) could send up to {amount} {unit} of {commodity} now "
            "going to {fate} to {receiver} ({receiver_park}) in place of {input}, by {mode} "
            "over {km} km (rule {rule}), before the optimiser weighs it against other uses."
        )
    text = _(lang, message).format(
        supplier=row["supplier"],
        supplier_park=row["supplier_park"],
        commodity=_name(row, "commodity_name", lang),
        fate=_(lang, FATE_WORDS.get(row["fate_now"], row["fate_now"])),
        receiver=row["receiver"],
        receiver_park=row["receiver_park"],
        input=_name(row, "replaces_name", lang),
        mode=_(lang, mode) if mode else row["mode"],
        km=format_number(row["distance_km"], lang, 1),
        rule=row["rule_id"],
        amount=amount_text(row["max_flow"], lang),
        unit=row["unit"],
    )
    if row["inferred"]:
        text += " " + _(lang, "Inferred from the company's sector (KBLI), not reported.")
    return text
