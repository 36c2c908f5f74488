"""A progress line on stderr for long batches: count, total where known, rate and time
left. Drawn only when stderr is a terminal (never into a pipe or a file, never with
--quiet) and only once a batch has run for `DELAY` seconds, so short runs show nothing.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import IO

DELAY = 0.5  # seconds before the first line
INTERVAL = 0.2  # seconds between redraws: drawing must not cost the batch anything
BAR = 20

_WORDS = {
    "en": {"cases": "cases", "tests": "tests", "left": "left", "per_s": "/s"},
    "nb": {"cases": "saker", "tests": "tester", "left": "igjen", "per_s": "/s"},
}


class NoProgress:
    """What a batch reports to when nothing is shown."""

    def tick(self, count: int = 1) -> None:
        pass

    def clear(self) -> None:
        pass

    def close(self) -> None:
        pass


class Progress(NoProgress):
    """One line, redrawn in place (carriage return), erased when the batch ends."""

    def __init__(self, stream: IO[str], total: int | None = None, lang: str = "en", unit: str = "cases",
                 clock=time.monotonic):
        self.stream, self.total, self.clock = stream, total, clock
        self.words = _WORDS.get(lang, _WORDS["en"])
        self.unit = self.words.get(unit, unit)
        self.done = 0
        self.started = clock()
        self._next_draw = self.started + DELAY
        self._drawn = False

    def tick(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if now >= self._next_draw:
            self._next_draw = now + INTERVAL
            self._draw(now)

    def line(self, now: float) -> str:
        """The text of the line at `now` (what a reader of the terminal sees)."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        parts = []
        if self.total:
            filled = min(BAR, BAR * self.done // self.total)
            parts.append("[" + "#" * filled + "." * (BAR - filled) + "]")
            parts.append(f"{_grouped(self.done)}/{_grouped(self.total)} {self.unit}")
        else:
            parts.append(f"{_grouped(self.done)} {self.unit}")
        parts.append(f"{_grouped(round(rate))} {self.unit}{self.words['per_s']}")
        if self.total and rate > 0 and self.done <= self.total:
            parts.append(f"{_clock(round((self.total - self.done) / rate))} {self.words['left']}")
        return "  ".join(parts)

    def _draw(self, now: float) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        text = self.line(now)[: max(width - 1, 10)]
        self.stream.write("\r" + text + "\033[K")
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Erase the line, before other text goes to stderr (a diagnostic); redrawn later."""
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False

    def close(self) -> None:
        self.clear()


def progress_for(quiet: bool, total=None, lang: str = "en", unit: str = "cases",
                 stream: IO[str] | None = None) -> NoProgress:
    """A Progress when stderr is a terminal and not --quiet, else a NoProgress.
    `total` may be a function, called only when the line is shown (counting costs)."""
    stream = stream if stream is not None else sys.stderr
    if quiet or not _is_terminal(stream):
        return NoProgress()
    return Progress(stream, total() if callable(total) else total, lang, unit)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _clock(seconds: int) -> str:
    hours, rest = divmod(max(seconds, 0), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
