"""The bundled schemas, templates and example reports: in the package (wheel or .pyz), else the checkout.

They are `importlib.resources` Traversables, so that they work where they are not files on disk:
inside the one-file bundle (`python3 govreport-tui-<version>.pyz`) they are entries of the zip
(a `ZipTree`, or a `zipfile.Path` from `importlib.resources.files`). Read them with `read_text`,
`read_bytes`, `open` and `iterdir`, never `open(str(...))`.
"""

from __future__ import annotations

import importlib
import zipimport
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .zip_tree import ZipTree


@cache
def _package() -> Traversable:
    spec = importlib.import_module("tui").__spec__
    loader: object = spec.loader if spec is not None else None
    if isinstance(loader, zipimport.zipimporter):
        tree = ZipTree.of_package(loader, "tui")  # the bundle: no second reading of the zip's directory
        if tree is not None:
            return tree
    return files("tui")


@cache
def resource_files(name: str) -> Traversable:
    """`schemas`, `templates` or `reports`: inside the installed package or the bundle, else the checkout."""
    package = _package()
    inside = package / name
    if inside.is_dir() or not isinstance(package, Path):
        return inside
    return package.parent / name  # a checkout (editable install): the folders sit beside tui/


def package_text(path: str) -> str:
    """A text file of the package by its path inside it (`app/app.tcss`), from disk or from the zip."""
    return _package().joinpath(*path.split("/")).read_text(encoding="utf-8")


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
