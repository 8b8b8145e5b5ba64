"""Golden-file fixture for the importer tests (beangulp style: sample next to expected).

Set NETIQUETTE_UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change,
then review the diff.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def golden() -> Callable[[Any, Path], None]:
    """``golden(data, expected_path)``: compare JSON-able data with the stored file."""

    def check(data: Any, expected: Path) -> None:
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if os.environ.get("NETIQUETTE_UPDATE_GOLDEN") == "1" or not expected.exists():
            expected.write_text(text, encoding="utf-8")
            if os.environ.get("NETIQUETTE_UPDATE_GOLDEN") != "1":
                pytest.fail(f"golden file {expected.name} was missing; written, review it")
        assert json.loads(text) == json.loads(expected.read_text(encoding="utf-8"))

    return check


@pytest.fixture(scope="module")
def gen() -> Any:
    """The benchmark's export generator (``bench/gen_linkedin.py``), as a module."""
    path = Path(__file__).resolve().parents[2] / "bench" / "gen_linkedin.py"
    spec = importlib.util.spec_from_file_location("gen_linkedin", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
