"""The README is checked: its example graph validates, its commands exist."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import typer

from cskg.cli import app
from conftest import ROOT, Run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_add_by_hand_example_is_a_valid_source(cskg: Callable[..., Run], project: Path) -> None:
    block = re.search(r"```trig\n(.*?)```", README, re.S)
    assert block, "README has no ```trig example"
    text = "\n".join(line[3:] if line.startswith("   ") else line for line in block.group(1).splitlines())
    name = re.search(r"^graph:(\S+) \{", text, re.M).group(1)  # type: ignore[union-attr]
    (project / "graphs" / f"{name}.trig").write_text(text)
    run = cskg("validate")
    assert run.code == 0, run.out + run.err
    shown = cskg("show", "Bromley inspection, November 2023")
    assert shown.code == 0 and f"graphs/{name}.trig" in shown.out


def test_every_command_in_the_readme_table_exists() -> None:
    group = typer.main.get_command(app)
    names = set(group.commands)  # type: ignore[attr-defined]
    network = set(group.commands["network"].commands)  # type: ignore[attr-defined]
    for command in re.findall(r"^\| `cskg ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", README, re.M):
        top, sub = command
        assert top in names, top
        if top == "network":
            assert sub in network, sub


def test_the_readme_fact_sheet_is_the_tested_one_in_the_docs() -> None:
    docs = (ROOT / "docs" / "factsheet.md").read_text(encoding="utf-8")
    shown = re.search(r"```yaml\n(.*?)```", README, re.S)
    tested = re.search(r"## A complete example\n.*?```yaml\n(.*?)```", docs, re.S)
    assert shown and tested and shown.group(1) == tested.group(1)


def test_the_library_example_runs(project: Path) -> None:
    import subprocess
    import sys

    code = re.search(r"## Library use.*?```python\n(.*?)```", README, re.S)
    assert code
    done = subprocess.run([sys.executable, "-c", code.group(1)], cwd=project,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Bromley monitoring visit 6 (March 2018, early help)" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "True"
