"""The external nodes every ecosystem starts with (``data/externals.yaml``)."""

from __future__ import annotations

from importlib import resources

import yaml

from sinergi.model.nodes import ExternalKind, ExternalNode


def default_externals() -> list[ExternalNode]:
    """Return the shipped environment, market, waste-fate and grid nodes."""
    text = resources.files("sinergi.data").joinpath("externals.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    return [
        ExternalNode(id=e["id"], kind=ExternalKind(e["kind"]), name=e["name"])
        for e in doc["externals"]
    ]
