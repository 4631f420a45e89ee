"""The spinner of a command that can take more than a second: on a terminal's stderr only."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from conftest import copy_project, run_cskg


def cskg_with_terminal_stderr(cwd: Path, *args: str, after: str = "0",
                              extra: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run cskg with stderr on a pseudo-terminal (as in a shell) and stdout on a pipe; the
    spinner is due after ``after`` seconds."""
    master, slave = pty.openpty()
    env = {**os.environ, "CSKG_PROGRESS_AFTER": after, "COLUMNS": "100", "TERM": "xterm", **(extra or {})}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "cskg", *args], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed: the command is done
            break
        if not chunk:
            break
        seen += chunk
    out = process.stdout.read().decode() if process.stdout else ""
    code = process.wait(timeout=60)
    os.close(master)
    return code, out, seen.decode(errors="replace")


def test_a_spinner_on_a_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert run_cskg(project, "build").code == 0
    args = ("network", "centrality", "--measure", "betweenness", "--top", "5")
    code, out, terminal = cskg_with_terminal_stderr(project, *args)
    assert code == 0
    assert "Computing betweenness centrality over" in terminal
    piped = run_cskg(project, *args, env={"CSKG_PROGRESS_AFTER": "0", "COLUMNS": "100"})
    assert piped.code == 0 and piped.err == ""
    # the answer is the same either way: the spinner is on stderr, and gone when it ends
    assert out == piped.out and out.startswith("rank  entity")


def test_a_quick_command_does_not_import_rich(tmp_path: Path) -> None:
    """rich is imported only when the spinner is due: its import was a quarter of a quick
    query's start-up. Python's own import log says what was imported, in a pipe and on a
    terminal alike."""
    project = copy_project(tmp_path / "project")
    assert run_cskg(project, "build").code == 0
    args = ("query", "shared-mash", "--format", "json")
    piped = run_cskg(project, *args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    code, out, terminal = cskg_with_terminal_stderr(project, *args, after="30",
                                                    extra={"PYTHONPROFILEIMPORTTIME": "1"})
    assert piped.code == code == 0 and out == piped.out
    for log in (piped.err, terminal):
        imported = [line.split("|")[-1].strip() for line in log.splitlines() if line.startswith("import time:")]
        assert "cskg.query" in imported  # the log is there ...
        assert [m for m in imported if m.split(".")[0] == "rich"] == []  # ... without rich
