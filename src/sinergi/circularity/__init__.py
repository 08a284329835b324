"""Battery circularity and e-mobility: dynamic stock models, end of life, swap stations."""

from __future__ import annotations
