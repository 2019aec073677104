"""The package's data files inside the one-file bundle, read through the zipimporter that loaded it.

`importlib.resources.files()` inside a zip opens it again with `zipfile` and reads its whole
directory (1,000 entries), which costs a command as short as `formats` a tenth of its start-up.
The zipimporter that loaded the package already has that directory: `ZipTree` reads files with
its `get_data` and lists folders from FILE_LIST, written into the bundle by the build.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipimport
from collections.abc import Iterator
from importlib.resources.abc import Traversable
from typing import IO, Any

FILE_LIST = "package-files.txt"
"""In the package's folder in the bundle: the package's data files (not its modules), one path a line."""


class ZipTree(Traversable):
    """A data file or folder of a package inside a zip, by its path under the package's folder."""

    def __init__(self, loader: zipimport.zipimporter, root: str, files: frozenset[str], at: str = "") -> None:
        self._loader, self._root, self._files, self._at = loader, root, files, at

    @classmethod
    def of_package(cls, loader: zipimport.zipimporter, package: str) -> ZipTree | None:
        """The package's folder in the zip, or None if the bundle has no FILE_LIST."""
        root = posixpath.join(loader.archive, loader.prefix, package.rpartition(".")[2])
        try:
            listing = loader.get_data(posixpath.join(root, FILE_LIST)).decode("utf-8")
        except OSError:
            return None
        return cls(loader, root, frozenset(listing.split()))

    @property
    def name(self) -> str:
        return posixpath.basename(self._at)

    def __str__(self) -> str:
        return posixpath.join(self._root, self._at) if self._at else self._root

    def __repr__(self) -> str:
        return f"ZipTree({str(self)!r})"

    def is_file(self) -> bool:
        return self._at in self._files

    def is_dir(self) -> bool:
        prefix = self._at + "/" if self._at else ""
        return any(path.startswith(prefix) for path in self._files)

    def iterdir(self) -> Iterator[ZipTree]:
        prefix = self._at + "/" if self._at else ""
        children = sorted({path[len(prefix) :].split("/")[0] for path in self._files if path.startswith(prefix)})
        for child in children:
            yield self.joinpath(child)

    def joinpath(self, *descendants: str | os.PathLike[str]) -> ZipTree:
        at = posixpath.normpath(posixpath.join(self._at, *[os.fspath(part) for part in descendants])).lstrip("/")
        return ZipTree(self._loader, self._root, self._files, "" if at == "." else at)

    def __truediv__(self, child: str | os.PathLike[str]) -> ZipTree:
        return self.joinpath(child)

    def read_bytes(self) -> bytes:
        if not self.is_file():
            raise FileNotFoundError(str(self))
        return self._loader.get_data(str(self))

    def read_text(self, encoding: str | None = None) -> str:
        return io.TextIOWrapper(io.BytesIO(self.read_bytes()), encoding=encoding or "utf-8").read()  # as Path

    def open(self, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        data = io.BytesIO(self.read_bytes())
        if mode == "rb":
            return data
        if mode == "r":
            return io.TextIOWrapper(data, *args, **kwargs)
        raise ValueError(f"{self}：只能读取（mode {mode!r}）")
