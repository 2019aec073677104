"""Rule packs: extra rule files a draft names (`rules = ["…"]`), e.g. a province's requirements
on the narrative. A pack holds `[[rules]]` of the same kinds as a format file."""

from __future__ import annotations

import contextlib
import os
import tomllib
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from .files import UnsafeFile, read_regular_file
from .formats import Format, SchemaError, load_rules, schema_dirs
from .rules import Rule

_PACK_KEYS = {"name", "formats", "rules"}
_cache: dict[tuple[str, int, int, str], tuple[Rule, ...]] = {}
MAX_PACK_BYTES = 1024 * 1024


class RulePackError(Exception):
    """A rule file that cannot be used; the message names the file and what is wrong."""


def resolve_pack(name: str, draft_dir: Path) -> Traversable:
    """Where a rule file named in a draft is: beside the draft, else in a schema folder (maybe in the .pyz)."""
    path = Path(name).expanduser()
    if path.is_absolute():
        return path
    candidates: list[Traversable] = [draft_dir / path, *(d.joinpath(*path.parts) for d in schema_dirs())]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return candidates[0]


def _read(path: Traversable) -> dict[str, Any]:
    """A rule file's data; a file on disk is read only if it is a regular file, and at most 1 MB of it."""
    try:
        raw = read_regular_file(path, MAX_PACK_BYTES)[0] if isinstance(path, Path) else path.read_bytes()
        return tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise RulePackError(f"规则文件 {path} 不存在") from None
    except UnsafeFile as exc:
        raise RulePackError(f"规则文件 {path}：{exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise RulePackError(f"规则文件 {path} 不是有效的 TOML：{exc}") from None
    except OSError as exc:
        raise RulePackError(f"规则文件 {path} 无法读取：{exc.strerror or exc}") from None


def load_pack(path: Traversable, fmt: Format) -> tuple[Rule, ...]:
    """The rules of a pack, validated and resolved against `fmt` (cached while the file is unchanged)."""
    st = None
    if isinstance(path, Path):
        with contextlib.suppress(OSError):
            st = os.stat(path)
    cacheable = st is not None or not isinstance(path, Path)  # a file inside the .pyz never changes
    where = str(path.resolve() if isinstance(path, Path) else path)
    key = (where, st.st_mtime_ns if st else 0, st.st_size if st else 0, fmt.id)
    if cacheable and key in _cache:
        return _cache[key]
    data = _read(path)
    for key_name in data:
        if key_name not in _PACK_KEYS:
            raise RulePackError(f"规则文件 {path}：{key_name}：未知的键（可用：{'、'.join(sorted(_PACK_KEYS))}）")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RulePackError(f"规则文件 {path}：name：缺少此项（规则集的名称）")
    formats = data.get("formats", [])
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise RulePackError(f"规则文件 {path}：formats：应为格式编号的列表")
    if formats and fmt.id not in formats:
        raise RulePackError(f"规则文件 {path}（{name}）只适用于格式 {'、'.join(formats)}，本报告的格式是 {fmt.id}")
    items = data.get("rules", [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise RulePackError(f"规则文件 {path}：rules：应为 [[rules]] 表的列表")
    try:
        rules = load_rules(fmt, items, "rules", path, "规则文件")
    except SchemaError as exc:
        raise RulePackError(str(exc)) from None
    _cache[key] = rules
    return rules
