"""Errors caused by a bad scenario file (one line: 'FILE: key.path: problem')."""
from __future__ import annotations

import difflib


class ScenarioError(ValueError):
    """Bad scenario input. main.py prints the one-line message and exits with 2."""

    is_user_error = True

    def __init__(self, source: str, key: str, problem: str):
        from fileio.text import one_line
        self.source, self.key, self.problem = one_line(str(source), 300), one_line(str(key), 300), one_line(problem)
        where = f"{self.source}: {self.key}: " if key else f"{self.source}: "
        super().__init__(where + self.problem)     # one line: a user's newline or NUL is shown escaped


def suggest(word: str, choices) -> str:
    """' (did you mean 'x'?)' for the nearest valid choice, or '' when nothing is close."""
    near = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean '{near[0]}'?)" if near else ""
