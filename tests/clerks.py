"""Two real Unix users in one group, for the shared-folder tests: created when run as root.

Each clerk is a Python process that starts as root, imports everything it needs (the
interpreter may live where other users cannot read, e.g. under /root), then drops to the
clerk's user and groups, sets the umask, and runs the snippets the test sends it, one JSON
line each way. Its command line is `python <dir>/<program> …`: with the default program name
`govreport-tui` it looks like the installed command, as a real session would.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GROUP = "grtui-clerks"
ANNA, BO = "grtui-anna", "grtui-bo"

_SCRIPT = r"""
import encodings.ascii, encodings.latin_1, encodings.utf_8, encodings.idna  # codecs load lazily
import contextlib, io, json, os, pwd, shutil, stat, sys, time
from pathlib import Path
import tui.cli
from tui.core.drafts_folder import ensure_dir, scan
from tui.core.files import atomic_write
from tui.core.formats import CellRef, all_formats
from tui.core.lock import DraftLock, lock_path
from tui.core.session import DraftSession, create_draft, open_draft, take_over
from tui.core.store import backup_path, load_report, report_from_data, parse_draft_bytes

all_formats()
HUAIAN_BYTES = Path(sys.argv[3]).read_bytes()
HUAIAN = report_from_data(parse_draft_bytes(Path("huaian.toml"), HUAIAN_BYTES))
CELL = CellRef("requests", "new_requests", "natural_person")

user, mask = sys.argv[1], int(sys.argv[2], 8)
pw = pwd.getpwnam(user)
os.setgroups(os.getgrouplist(user, pw.pw_gid))
os.setgid(pw.pw_gid)
os.setuid(pw.pw_uid)
os.umask(mask)
os.chdir("/")

def mode(path):
    st = os.lstat(path)
    return {"mode": stat.S_IMODE(st.st_mode), "uid": st.st_uid, "gid": st.st_gid, "link": stat.S_ISLNK(st.st_mode)}

ns = dict(globals())
for line in sys.stdin:
    ns["result"] = None
    try:
        exec(json.loads(line), ns)
        out = {"value": ns["result"]}
    except BaseException as exc:
        out = {"error": type(exc).__name__, "message": str(exc)}
    print(json.dumps(out, ensure_ascii=False, default=str), flush=True)
"""


class ClerkError(Exception):
    """A snippet run by a clerk raised; `kind` is the exception's class name."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind, self.message = kind, message


class Clerk:
    """One clerk's process: `run` a snippet that sets `result`, get `result` back."""

    def __init__(self, user: str, *, umask: int = 0o022, program: str = "govreport-tui") -> None:
        from .conftest import HUAIAN

        self.user = user
        self.uid = pwd.getpwnam(user).pw_uid
        self._dir = tempfile.mkdtemp(prefix="grtui-clerk-")
        script = Path(self._dir) / program
        script.write_text(_SCRIPT, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "USER": user, "LOGNAME": user, "HOME": "/nonexistent"}
        self.proc = subprocess.Popen(
            [sys.executable, str(script), user, f"{umask:o}", str(HUAIAN)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def run(self, code: str) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(code) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"clerk {self.user} died (exit {self.proc.wait()})")
        answer = json.loads(line)
        if "error" in answer:
            raise ClerkError(answer["error"], answer["message"])
        return answer["value"]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self._dir, ignore_errors=True)


@dataclass(frozen=True)
class Office:
    """A shared drafts folder (setgid, group `GROUP`, 2770) and a private folder for each clerk."""

    drafts: Path
    private: dict[str, Path]
    gid: int


def _exists(kind: str, name: str) -> bool:
    try:
        (grp.getgrnam if kind == "group" else pwd.getpwnam)(name)
        return True
    except KeyError:
        return False


@contextlib.contextmanager
def two_clerks() -> Iterator[int]:
    """Create the group and the two users (unless they exist); yields the group id; removes what it made."""
    if os.geteuid() != 0:
        pytest.skip("creating two Unix users needs root (CI runs the suite as root)")
    if not (shutil.which("useradd") and shutil.which("groupadd")):
        pytest.skip("useradd/groupadd are not installed")
    made_group, made_users = False, []
    if not _exists("group", GROUP):
        subprocess.run(["groupadd", GROUP], check=True, capture_output=True)
        made_group = True
    for user in (ANNA, BO):
        if not _exists("user", user):
            subprocess.run(
                ["useradd", "-M", "-U", "-G", GROUP, "-s", "/usr/sbin/nologin", user], check=True, capture_output=True
            )
            made_users.append(user)
    try:
        yield grp.getgrnam(GROUP).gr_gid
    finally:
        for user in made_users:
            subprocess.run(["userdel", user], check=False, capture_output=True)
        if made_group:
            subprocess.run(["groupdel", GROUP], check=False, capture_output=True)


@contextlib.contextmanager
def office(gid: int) -> Iterator[Office]:
    base = Path(tempfile.mkdtemp(prefix="grtui-office-"))
    try:
        base.chmod(0o755)
        drafts = base / "drafts"
        drafts.mkdir()
        os.chown(drafts, 0, gid)
        drafts.chmod(0o2770)
        private = {}
        for user in (ANNA, BO):
            folder = base / user
            folder.mkdir(mode=0o700)
            os.chown(folder, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
            private[user] = folder
        yield Office(drafts, private, gid)
    finally:
        shutil.rmtree(base, ignore_errors=True)
