"""The bundled schemas, templates and example reports: in the package (wheel or .pyz), else the checkout.

They are read through `importlib.resources`, so that they work where they are not files on disk:
inside the one-file bundle (`python3 govreport-tui-<version>.pyz`), `resource_files` returns a
`zipfile.Path`. Read them with `read_text`, `read_bytes`, `open` and `iterdir`, never `open(str(...))`.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


@cache
def resource_files(name: str) -> Traversable:
    """`schemas`, `templates` or `reports`: inside the installed package or the bundle, else the checkout."""
    package = files("tui")
    inside = package / name
    if inside.is_dir() or not isinstance(package, Path):
        return inside
    return package.parent / name  # a checkout (editable install): the folders sit beside tui/


def resource_dir(name: str) -> Path:
    """The folder on disk, for tests and tools that need a path; inside a .pyz there is none."""
    found = resource_files(name)
    if not isinstance(found, Path):
        raise NotADirectoryError(f"{found} 在压缩包内，不是文件夹")
    return found


def toml_files(folder: Traversable) -> list[Traversable]:
    """The `*.toml` files directly in a folder (on disk or in a zip), by name; none if it does not exist."""
    if not folder.is_dir():
        return []
    return sorted((item for item in folder.iterdir() if item.name.endswith(".toml") and item.is_file()), key=_name)


def _name(item: Traversable) -> str:
    return item.name
