"""Moved to `icpolicy.values` (below policy/, which shows values too).

Kept only so that code written against `icpolicy.engine.format` goes on working;
nothing in icpolicy imports it (import `icpolicy.values`).
"""

from __future__ import annotations

from ..values import decimal_text, dumps, json_string, json_value, plain_decimal, printable, show

__all__ = ["decimal_text", "dumps", "json_string", "json_value", "plain_decimal", "printable", "show"]
