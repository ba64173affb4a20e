"""The README's Quickstart runs as written: each command of its console blocks, run in a
folder where the bundled sample was built as the Quickstart builds it, prints what the
README shows (times aside)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
_TOOK = re.compile(r"took [0-9.]+ s(?: \([^)]*\))?\.")


def _blocks(kind: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.DOTALL)


def _commands() -> list[tuple[list[str], str]]:
    """``(argv after 'evalkg', expected output)`` of every ``$ evalkg …`` command."""
    found: list[tuple[list[str], str]] = []
    for block in _blocks("console"):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ evalkg "):
                i += 1
                continue
            command = lines[i][2:]
            i += 1
            while True:  # a quoted argument may span lines
                try:
                    argv = shlex.split(command)
                    break
                except ValueError:
                    command += "\n" + lines[i]
                    i += 1
            output = []
            while i < len(lines) and not lines[i].startswith("$ "):
                output.append(lines[i])
                i += 1
            found.append((argv[1:], "\n".join(output).strip()))
    return found


def test_the_readme_has_commands_to_check() -> None:
    assert len(_commands()) >= 4
    assert any(argv[:1] == ["query"] for argv, _ in _commands())


def test_every_quickstart_command_prints_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVALKG_STORE", raising=False)
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--sample"])
    assert built.exit_code == 0, built.output
    (shown,) = [b for b in _blocks("text") if b.startswith("Read ")]
    assert _TOOK.sub("took … s.", built.output.strip()) == _TOOK.sub("took … s.", shown.strip())
    for argv, expected in _commands():
        result = runner.invoke(main, argv)
        assert result.exit_code == 0, (argv, result.output)
        assert result.output.strip() == expected, argv  # what the terminal shows


def test_the_two_set_up_commands_are_make_targets_that_ci_runs() -> None:
    """The Quickstart's set-up is two commands, both make targets (which make the virtual
    environment a stock Python needs), and .ci/run runs the second."""
    import shutil
    import subprocess

    setup = _blocks("sh")[0]
    commands = [line.split("#")[0].strip() for line in setup.splitlines() if line.strip()]
    assert commands == ["make sample", "make test"]
    root = README.parent
    assert "make test" in (root / ".ci" / "run").read_text(encoding="utf-8")
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    for command in commands:  # -n: what make would run, nothing run
        dry = subprocess.run(
            ["make", "-n", *command.split()[1:]], cwd=root, capture_output=True, text=True
        )
        assert dry.returncode == 0, dry.stderr
        assert "-m venv" in dry.stdout or (root / ".venv" / "bin" / "python").exists()
