"""Start-up of the one-file bundle (.pyz): import from inside the zip, or from an extracted copy.

The .pyz holds every module's bytecode, compiled by the Python that built it, and the sources in
a zip inside it (SOURCES). On a Python with the same bytecode (the same minor version), everything
is imported straight from the zip, as fast as an installed copy, and nothing is written anywhere.
Another Python's first start extracts the sources to the user's cache folder
(`$XDG_CACHE_HOME/govreport-tui/`, else `~/.cache/govreport-tui/`), where it keeps its own
bytecode; later starts import from there. Nothing is written inside the zip or beside it.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import zipimport
from pathlib import Path
from typing import NoReturn

BUNDLE_ID = "bundle-id"
"""A file at the root of the zip: `<version>-<hash of the contents>`, written by the build."""

SOURCES = "sources.zip"
"""The `.py` files, in a zip at the root of the bundle (its other modules are bytecode only)."""

PROBE = "tui/__init__.pyc"
"""A bytecode file in the zip whose header says which Python compiled the bundle."""


def run(archive: str) -> NoReturn:
    """Run the command line from the bundle whose path is `archive` (an entry of `sys.path`)."""
    root = import_root(archive)
    if root != archive:
        sys.path[sys.path.index(archive)] = root
        for name in [name for name in sys.modules if name == "tui" or name.startswith("tui.")]:
            del sys.modules[name]  # imported from the zip so far: from now on, from the extracted copy
    cli = importlib.import_module("tui.cli")
    raise SystemExit(cli.main())


def import_root(archive: str) -> str:
    """Where to import from: the archive itself, or an extracted copy for a Python of another version."""
    importer = _importer(archive)
    if compiled_for_this_python(importer):
        return archive
    return extracted_root(archive, importer.get_data(BUNDLE_ID).decode().strip())


def extracted_root(archive: str, bundle_id: str) -> str:
    """The extracted copy in the user's cache folder, else one for this run only; exit if neither can be made."""
    target = cache_dir() / f"pyz-{bundle_id}"
    try:
        return str(extract(archive, target))
    except OSError as exc:
        problem = f"{target.parent}：{exc.strerror or exc}"
    try:  # no writable cache folder: a copy in the temporary folder, removed on the way out
        return str(extract(archive, _temporary_folder() / "pyz"))
    except OSError as exc:
        sys.stderr.write(f"无法解压程序文件：{problem}；临时文件夹也不可用（{exc.strerror or exc}）。\n")
        raise SystemExit(2) from None


def compiled_for_this_python(importer: zipimport.zipimporter) -> bool:
    """Whether the bytecode in the bundle is this Python's (the same magic number)."""
    try:
        return importer.get_data(PROBE)[:4] == importlib.util.MAGIC_NUMBER
    except OSError:
        return False


def cache_dir() -> Path:
    """The user's cache folder for this program."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "govreport-tui"


def extract(archive: str, target: Path) -> Path:
    """The bundle's sources and data extracted to `target` (once: a complete copy appears in one rename)."""
    import io  # only here: the usual start, from the zip, needs none of these
    import shutil
    import tempfile
    import zipfile

    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    scratch = Path(tempfile.mkdtemp(prefix=".extracting-", dir=target.parent))
    try:
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.infolist():
                if member.filename != SOURCES and not member.filename.endswith(".pyc"):  # another Python's
                    bundle.extract(member, scratch)
            with zipfile.ZipFile(io.BytesIO(bundle.read(SOURCES))) as sources:
                sources.extractall(scratch)
        try:
            scratch.rename(target)
        except OSError:
            if not target.is_dir():  # not another start that got there first
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _temporary_folder() -> Path:
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="govreport-tui-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)


def _importer(archive: str) -> zipimport.zipimporter:
    cached = sys.path_importer_cache.get(archive)
    if isinstance(cached, zipimport.zipimporter):
        return cached
    return zipimport.zipimporter(archive)
