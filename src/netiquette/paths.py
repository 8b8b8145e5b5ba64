"""Where netiquette keeps its files (platformdirs), overridable for tests."""

from __future__ import annotations

import os
from pathlib import Path

APP = "netiquette"


def data_dir() -> Path:
    override = os.environ.get("NETIQUETTE_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("NETIQUETTE_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / "netiquette.sqlite3"
