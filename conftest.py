"""Shared pytest fixtures. Reference data is read from ../shared/data (beside the checkout)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent
SHARED_DATA = Path(os.environ.get("ONEWINDOW_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _materials_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded materials of a test go to its own temporary folder."""
    settings.STORAGE_PATH = tmp_path / "materials"


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """Reference data, the reform 1 pack, staff at 江汉 and 洪山, two applicants."""
    from onewindow.testing import build_world

    return build_world()
