"""User strings in messages: always one line, bounded.

A scenario key or value can hold a newline, a NUL or a terminal escape; echoed raw it would break
the one-line `FILE: key: problem` rule (and could fake a second message or move the cursor).
"""
from __future__ import annotations

MAX_SHOWN = 200


def one_line(text: str, limit: int = 2000) -> str:
    """`text` with control characters escaped (\\n, \\x00, \\x1b ...) and cut at `limit` characters."""
    out = "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
                  for ch in str(text))
    return out if len(out) <= limit else out[:limit] + f"... ({len(out) - limit} more characters)"


def shown(value, limit: int = MAX_SHOWN) -> str:
    """repr() of a user value for a message, one line, at most `limit` characters."""
    text = repr(value)
    return one_line(text, limit)
