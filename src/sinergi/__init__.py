"""sinergi: one flow network for Indonesia's green industrial transformation.

The package is layered: :mod:`sinergi.model` is the domain core (the flow network and
its checks); engines read the model; :mod:`sinergi.store`, :mod:`sinergi.io` and
:mod:`sinergi.cli` are thin layers that translate in and out of it.
"""

from __future__ import annotations

__version__ = "0.1.0"
