"""Showing values: moved to `icpolicy.values` (below policy/, which shows values too).

Kept so that imports of `icpolicy.engine.format` go on working while they move.
"""

from __future__ import annotations

from ..values import decimal_text, dumps, json_value, plain_decimal, show

__all__ = ["decimal_text", "dumps", "json_value", "plain_decimal", "show"]
