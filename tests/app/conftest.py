"""Fixtures for driving the real app: a copy of a bundled draft in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import HUAIAN, TONGJIANG


@pytest.fixture
def huaian_copy(tmp_path: Path) -> Path:
    path = tmp_path / HUAIAN.name
    shutil.copy(HUAIAN, path)
    return path


@pytest.fixture
def tongjiang_copy(tmp_path: Path) -> Path:
    path = tmp_path / TONGJIANG.name
    shutil.copy(TONGJIANG, path)
    return path
