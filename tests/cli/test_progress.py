"""The progress line: shown on a terminal (a real pty), never into a pipe or with --quiet."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from icpolicy.cli.progress import NoProgress, Progress, progress_for

ROOT = Path(__file__).resolve().parents[2]
BATCH = ROOT / "examples" / "cases" / "batch.jsonl"
# Run icpolicy with the line drawn at once and at every case (a short batch shows it too).
LAUNCH = ("import sys, runpy; import icpolicy.cli.progress as p; p.DELAY = 0; p.INTERVAL = 0; "
          "sys.argv = ['icpolicy'] + sys.argv[1:]; runpy.run_module('icpolicy', run_name='__main__')")


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_line_has_count_total_rate_and_time_left():
    clock = Clock()
    progress = Progress(io.StringIO(), total=100_000, clock=clock)
    progress.done = 25_000
    clock.now += 10
    line = progress.line(clock.now)
    assert "[#####...............]" in line and "25 000/100 000 cases" in line
    assert "2 500 cases/s" in line and "0:00:30 left" in line


def test_without_a_total_the_line_counts_and_gives_the_rate():
    clock = Clock()
    progress = Progress(io.StringIO(), total=None, lang="nb", clock=clock)
    progress.done = 500
    clock.now += 2
    assert progress.line(clock.now) == "500 saker  250 saker/s"


def test_nothing_is_drawn_before_the_delay_and_the_line_is_erased_at_the_end():
    clock, out = Clock(), io.StringIO()
    progress = Progress(out, total=10, clock=clock)
    progress.tick()
    assert out.getvalue() == ""
    clock.now += 5
    progress.tick()
    assert out.getvalue().startswith("\r[##") and "2/10 cases" in out.getvalue()
    progress.close()
    assert out.getvalue().endswith("\r\033[K")


def test_a_pipe_or_quiet_gets_no_progress():
    assert isinstance(progress_for(False, 10, stream=io.StringIO()), NoProgress)
    assert not isinstance(progress_for(False, 10, stream=io.StringIO()), Progress)


def _run_on_terminal(*args) -> tuple[bytes, bytes, int]:
    """Run icpolicy with stderr on a pseudo-terminal; (what the terminal shows, stdout, exit code)."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", LAUNCH, *map(str, args)], cwd=ROOT, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal is closed once the process has exited
            break
        if not chunk:
            break
        shown += chunk
    stdout = process.stdout.read() if process.stdout else b""
    os.close(master)
    return shown, stdout, process.wait(timeout=60)


@pytest.mark.parametrize("command", [["eval", BATCH, "--format", "jsonl"],
                                     ["diff", "2001.1", "2026.1", "--no-witnesses", "--format", "json",
                                      "--cases", BATCH]])
def test_a_terminal_shows_the_line_and_stdout_is_untouched(command):
    shown, stdout, code = _run_on_terminal(*command)
    assert code in (0, 1)
    assert b"5/5 cases" in shown and b"cases/s" in shown and b"\r" in shown
    assert shown.endswith(b"\r\033[K")  # erased at the end: the terminal is left clean
    assert b"cases/s" not in stdout and stdout.lstrip().startswith(b"{")


def test_quiet_shows_nothing_on_a_terminal():
    shown, _, code = _run_on_terminal("eval", BATCH, "--format", "jsonl", "--quiet")
    assert code == 0 and b"cases/s" not in shown and b"\r" not in shown


def test_piped_stderr_gets_no_progress():
    done = subprocess.run([sys.executable, "-c", LAUNCH, "eval", str(BATCH), "--format", "jsonl"], cwd=ROOT,
                          capture_output=True, check=False)
    assert done.returncode == 0 and done.stdout
    assert b"cases/s" not in done.stderr and b"\r" not in done.stderr
