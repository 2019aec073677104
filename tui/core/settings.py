"""The clerk's own preferences, kept between sessions in the user's config folder (XDG)."""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

import tomli_w

from .files import UnsafeFile, atomic_write, make_dirs, read_regular_file

MAX_SETTINGS_BYTES = 64 * 1024


def settings_path() -> Path:
    """`$GOVREPORT_CONFIG`, else `~/.config/govreport-tui/settings.toml`."""
    explicit = os.environ.get("GOVREPORT_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_path

    return user_config_path("govreport-tui") / "settings.toml"


@dataclass
class Settings:
    """What the clerk chose once and expects again: where Enter goes in a table."""

    enter_goes_right: bool = False

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """The saved settings; the defaults when there are none or the file cannot be used."""
        path = path or settings_path()
        try:
            raw, _st = read_regular_file(path, MAX_SETTINGS_BYTES)
            data = tomllib.loads(raw.decode("utf-8"))
        except (OSError, UnsafeFile, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return cls()
        value = data.get("enter_goes_right")
        return cls(enter_goes_right=value) if isinstance(value, bool) else cls()

    def save(self, path: Path | None = None) -> bool:
        """Write the settings (private to the user); False when they cannot be written (never raises)."""
        path = path or settings_path()
        with contextlib.suppress(OSError):
            make_dirs(path.parent)
            atomic_write(path, tomli_w.dumps(asdict(self)).encode("utf-8"), backup=False)
            return True
        return False
