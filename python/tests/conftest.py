"""Runs the tests against the module built in <build>/python and the CLI
built next to it (REUSELENS_CLI), from the repository's root."""
import os
import subprocess
import json

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(autouse=True)
def in_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def cli_json():
    """The CLI's JSON for a command line."""
    cli = os.environ.get("REUSELENS_CLI", os.path.join(ROOT, "build", "reuselens"))

    def run(*args):
        out = subprocess.run([cli, *args, "--format", "json"], capture_output=True, text=True,
                             cwd=ROOT, check=True)
        return json.loads(out.stdout)

    return run
