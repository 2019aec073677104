"""Build the two artefacts for a server without a package index: one .pyz file, and a wheelhouse.

    python scripts/build_bundle.py --out DIR

writes `DIR/wheels/` (the project's wheel and one wheel for every runtime dependency, pure Python
where the dependency can be built so: MarkupSafe without its C speed-up) and
`DIR/govreport-tui-<version>.pyz`, a zip application made from those wheels that runs with
nothing but Python 3.11 or newer: `python3 govreport-tui-<version>.pyz [arguments]`.

Only the build needs a package index (pip's configured one); the artefacts need no network. The
.pyz holds each module's bytecode, compiled by the Python running this script and stored
uncompressed at its root, where it is imported as fast as from an installed copy; the sources
are in `sources.zip` inside it, for Pythons of another version (see tui/bundle_boot.py).
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import io
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.bundle_boot import BUNDLE_ID, PROBE, SOURCES  # noqa: E402  (standard library only)
from tui.core.zip_tree import FILE_LIST  # noqa: E402

PROJECT = "govreport-tui"
FIRST = ("__main__.py", "govreport_python_check.py")
"""Source only, at the root of the zip: old Pythons read them to say they are too old."""

BOOT = ("tui/__init__.py", "tui/bundle_boot.py")
"""Source beside the bytecode at the root: a Python of another version starts with them (tui/bundle_boot.py)."""

MAIN = '''\
# -*- coding: utf-8 -*-
"""govreport-tui in one file (written by scripts/build_bundle.py): check the Python, then run.

This file and govreport_python_check.py must parse on old Pythons: they say, in one line, that
the Python is too old before anything that needs a newer one is imported.
"""
import os

from govreport_python_check import exit_if_too_old

exit_if_too_old()

from tui.bundle_boot import run  # noqa: E402

run(os.path.dirname(__file__))
'''
"""The `__main__.py` at the root of the .pyz."""


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def pip(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, env=env)


def offline_env() -> dict[str, str]:
    """pip with no configuration: nothing but the wheelhouse given on its command line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def wheel_is_pure(wheel: Path) -> bool:
    return wheel.name.endswith("-none-any.whl")


def build_wheelhouse(wheels: Path, scratch: Path) -> list[str]:
    """The project's wheel and its runtime dependencies' wheels in `wheels`; notes on wheels not pure."""
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT))
    (project_wheel,) = wheels.glob("govreport_tui-*.whl")
    pip("download", "--quiet", "--prefer-binary", "--dest", str(wheels), str(project_wheel))
    notes = []
    for wheel in sorted(wheels.glob("*.whl")):
        if wheel_is_pure(wheel):
            continue
        name, release = wheel.name.split("-")[:2]
        pure = scratch / f"pure-{name}"
        # No compiler: packages with an optional C speed-up (MarkupSafe) then build their pure-Python form.
        env = dict(os.environ, CC="false", CXX="false")
        pip(
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-cache-dir",
            "--no-binary",
            name,
            "--wheel-dir",
            str(pure),
            f"{name}=={release}",
            env=env,
        )
        built = list(pure.glob("*.whl"))
        if len(built) == 1 and wheel_is_pure(built[0]):
            wheel.unlink()
            shutil.move(built[0], wheels / built[0].name)
        else:
            notes.append(f"{wheel.name}：没有纯 Python 版本，保留此平台的 wheel")
    return notes


def stage(wheels: Path, staging: Path) -> None:
    """Install the wheelhouse (offline: it must be complete) into `staging`, ready to be zipped."""
    pip(
        "install",
        "--quiet",
        "--no-index",
        "--find-links",
        str(wheels),
        "--target",
        str(staging),
        "--no-compile",
        "--disable-pip-version-check",
        PROJECT,
        env=offline_env(),
    )
    shutil.rmtree(staging / "bin", ignore_errors=True)  # console scripts: the .pyz is the command
    for compiled in [*staging.rglob("*.so"), *staging.rglob("*.pyd")]:
        compiled.unlink()  # extension modules cannot be imported from a zip; the pure fallbacks are used
    package = staging / "tui"
    data = sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file() and p.suffix != ".py")
    (package / FILE_LIST).write_text("".join(f"{name}\n" for name in data), encoding="utf-8")
    shutil.copyfile(ROOT / "tui" / "python_check.py", staging / "govreport_python_check.py")
    (staging / "__main__.py").write_text(MAIN, encoding="utf-8")


def content_id(staging: Path) -> str:
    """A hash of every staged file's path and bytes: names the extraction cache of this build."""
    digest = hashlib.sha256()
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        digest.update(path.relative_to(staging).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def compile_bytecode(staging: Path, archive_name: str) -> None:
    """`x.pyc` beside each `x.py` (where zipimport looks), valid whatever the files' times in the zip."""
    ok = compileall.compile_dir(
        staging,
        ddir=archive_name,
        legacy=True,
        quiet=1,
        workers=0,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    if not ok:
        raise SystemExit("编译字节码失败")
    for name in FIRST:
        (staging / name).with_suffix(".pyc").unlink()  # an old Python must read the source


def write_archive(staging: Path, target: Path) -> None:
    """The zip application: bytecode and data stored uncompressed, the sources compressed in SOURCES."""
    files = [(path, path.relative_to(staging).as_posix()) for path in sorted(staging.rglob("*")) if path.is_file()]
    sources = io.BytesIO()
    with zipfile.ZipFile(sources, "w", zipfile.ZIP_DEFLATED) as inner:
        for path, name in files:
            if name.endswith(".py") and name not in FIRST + BOOT:
                inner.write(path, name)
    with target.open("wb") as fh:
        fh.write(b"#!/usr/bin/env python3\n")
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as outer:
            for path, name in files:
                if name in FIRST + BOOT or not name.endswith(".py"):
                    outer.write(path, name)
            outer.writestr(SOURCES, sources.getvalue())
    target.chmod(0o755)
    with zipfile.ZipFile(target) as check:
        if PROBE not in check.namelist():
            raise SystemExit(f"{target}：缺少 {PROBE}")


def build(out: Path) -> tuple[Path, Path, list[str]]:
    """Write `out/wheels/` and `out/govreport-tui-<version>.pyz`; return them and notes for the user."""
    out.mkdir(parents=True, exist_ok=True)
    wheels = out / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    wheels.mkdir()
    target = out / f"{PROJECT}-{version()}.pyz"
    with tempfile.TemporaryDirectory(prefix="build-bundle-") as tmp:
        scratch = Path(tmp)
        notes = build_wheelhouse(wheels, scratch)
        staging = scratch / "staging"
        stage(wheels, staging)
        (staging / BUNDLE_ID).write_text(f"{version()}-{content_id(staging)}\n", encoding="utf-8")
        compile_bytecode(staging, target.name)
        partial = target.with_name(target.name + ".part")
        write_archive(staging, partial)
        partial.replace(target)
    return target, wheels, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="build_bundle.py", description="生成内网服务器用的单文件程序（.pyz）和离线安装包文件夹（wheels/）。"
    )
    parser.add_argument("--out", type=Path, required=True, help="输出文件夹")
    args = parser.parse_args(argv)
    target, wheels, notes = build(args.out)
    for note in notes:
        print(note, file=sys.stderr)
    size = target.stat().st_size / 1024 / 1024
    print(f"{target}（{size:.1f} MB）：python3 {target.name}")
    print(
        f"{wheels}/（{len(list(wheels.glob('*.whl')))} 个 wheel）：pip install --no-index --find-links wheels {PROJECT}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
