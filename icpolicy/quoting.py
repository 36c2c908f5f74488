"""Values shown in messages: as written, but never more than a line's worth.

A message that echoes a value cuts it and says how long it was, so a 1 MB string
or a number of 100 000 digits gives a short, readable error.
"""

from __future__ import annotations

import json

LIMIT = 60  # characters of a value shown in a message


def quoted(text: str, limit: int = LIMIT) -> str:
    """`text` in double quotes (JSON escapes), cut after `limit` characters."""
    if len(text) <= limit:
        return json.dumps(text, ensure_ascii=False)
    return f"{json.dumps(text[:limit], ensure_ascii=False)[:-1]}…\" ({len(text)} characters)"


def shown_number(text: str, limit: int = LIMIT) -> str:
    """A number's text, or how many characters it has when that is too many to show."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"
