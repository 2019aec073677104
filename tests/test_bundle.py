"""The intranet artefacts: the one-file .pyz and the offline wheelhouse (scripts/build_bundle.py).

The bundle is built once per session (or taken from `$GOVREPORT_BUNDLE_DIR`, where .ci/run has
just built it). The .pyz runs as it would on a server with nothing installed: `python3 -I -S`
(no site-packages, no user site), a clean `HOME`, no `PYTHONPATH`, from a folder with nothing
beside it; its output is compared with the command installed from the wheelhouse into a fresh
virtual environment with `pip install --no-index`.
"""

from __future__ import annotations

import ast
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
import zipimport
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document

from tests.fullscreen import open_and_quit
from tui import bundle_boot
from tui.bundle_boot import SOURCES, compiled_for_this_python, extract
from tui.python_check import REQUIRED, encode_for, too_old_message

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
EXAMPLES = {"2020-tongjiang-veterans-bureau": "同江市退役军人事务局", "2024-huaian-city-gov": "淮安市人民政府"}
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
RUNTIME = {
    "textual",
    "rich",
    "jinja2",
    "markupsafe",
    "platformdirs",
    "tomli_w",
    "pygments",
    "markdown_it_py",
    "openpyxl",
}

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Bundle:
    """The built artefacts."""

    pyz: Path
    wheels: Path


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    prebuilt = os.environ.get("GOVREPORT_BUNDLE_DIR")
    out = Path(prebuilt) if prebuilt else tmp_path_factory.mktemp("bundle")
    pyz = out / f"govreport-tui-{VERSION}.pyz"
    if not pyz.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_bundle.py"), "--out", str(out)], check=True)
    # The .pyz alone in a folder of its own: it must not lean on anything beside it.
    alone = tmp_path_factory.mktemp("server") / pyz.name
    shutil.copyfile(pyz, alone)
    return Bundle(alone, out / "wheels")


def _offline_pip_env() -> dict[str, str]:
    """pip with no configuration at all: the wheelhouse is the only source of packages."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


@pytest.fixture(scope="session")
def installed(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`govreport-tui` installed from the wheelhouse alone into a fresh virtual environment."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir)  # without pip of its own (saves ensurepip's time): this pip installs into it
    install = [sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install", "--quiet"]
    offline = ["--no-index", "--find-links", str(bundle.wheels), "govreport-tui"]
    subprocess.run([*install, *offline], check=True, env=_offline_pip_env(), cwd=bundle.wheels.parent)
    return env_dir / "bin" / "govreport-tui"


@pytest.fixture
def server(tmp_path: Path) -> dict[str, str]:
    """A clean environment: an empty HOME, no PYTHONPATH, nothing of the developer's."""
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def _pyz(bundle: Bundle, *args: str, python: str = sys.executable) -> list[str]:
    return [python, "-I", "-S", str(bundle.pyz), *args]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _drafts(tmp_path: Path) -> Path:
    """Copies of both example drafts in a working folder."""
    work = tmp_path / "work"
    work.mkdir()
    for name in EXAMPLES:
        shutil.copyfile(REPORTS / f"{name}.toml", work / f"{name}.toml")
    return work


def test_wheelhouse_is_complete_and_pure(bundle: Bundle, installed: Path, server: dict[str, str]) -> None:
    wheels = sorted(path.name for path in bundle.wheels.glob("*.whl"))
    names = {name.split("-")[0].lower() for name in wheels}
    assert {"govreport_tui", *RUNTIME} <= names
    assert [name for name in wheels if not name.endswith("-none-any.whl")] == []  # pure Python: py3 or py2.py3
    result = _run([str(installed), "formats"], server, bundle.pyz.parent)
    assert result.returncode == 0, result.stderr
    assert "2019-trial" in result.stdout


def test_pyz_formats_as_installed(bundle: Bundle, installed: Path, server: dict[str, str]) -> None:
    before = _digest(bundle.pyz)
    ours = _run(_pyz(bundle, "formats"), server, bundle.pyz.parent)
    theirs = _run([str(installed), "formats"], server, bundle.pyz.parent)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout
    assert {"2021", "2019-trial"} <= {line.split("\t")[0] for line in ours.stdout.splitlines()}
    # Nothing written inside the zip or beside it, and no extracted copy for the Python that built it.
    assert _digest(bundle.pyz) == before
    assert sorted(p.name for p in bundle.pyz.parent.iterdir()) == [bundle.pyz.name]
    assert list(Path(server["HOME"]).iterdir()) == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_pyz_check_and_export_as_installed(
    bundle: Bundle, installed: Path, server: dict[str, str], tmp_path: Path, name: str
) -> None:
    work = _drafts(tmp_path)
    draft = f"{name}.toml"
    for command in (["check", draft], ["check", draft, "--json"]):
        ours = _run(_pyz(bundle, *command), server, work)
        theirs = _run([str(installed), *command], server, work)
        assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)
        assert ours.returncode == 0, ours.stderr
        assert EXAMPLES[name] in ours.stdout
    for kind in ("md", "txt", "html"):
        ours = _run(_pyz(bundle, "export", draft, "--to", kind), server, work)
        theirs = _run([str(installed), "export", draft, "--to", kind], server, work)
        assert ours.returncode == 0, ours.stderr
        assert ours.stdout == theirs.stdout == (REPORTS / f"{name}.{kind}").read_text(encoding="utf-8")


def _docx_read_back(path: Path) -> list[object]:
    """A .docx as python-docx reads it: properties, each paragraph (style, text) and table (cells), both footers."""
    doc = Document(str(path))
    props = doc.core_properties
    section = doc.sections[0]
    return [
        (props.title, props.author, props.language),
        [(p.style.name if p.style is not None else None, p.text) for p in doc.paragraphs],
        [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables],
        [section.page_width, section.page_height, section.top_margin, section.left_margin],
        [section.footer.paragraphs[0].text, section.even_page_footer.paragraphs[0].text],
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_pyz_exports_docx_as_installed(
    bundle: Bundle, installed: Path, server: dict[str, str], tmp_path: Path, name: str
) -> None:
    """The Word export needs no compiled library: the .pyz writes the same document as the installed command."""
    work = _drafts(tmp_path)
    ours, theirs = work / "pyz.docx", work / "installed.docx"
    for argv, out in ((_pyz(bundle), ours), ([str(installed)], theirs)):
        result = _run([*argv, "export", f"{name}.toml", "--to", "docx", "-o", out.name], server, work)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "" and "Traceback" not in result.stderr
    assert _docx_read_back(ours) == _docx_read_back(theirs)
    assert EXAMPLES[name] in Document(str(ours)).paragraphs[0].text
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(theirs) as b:
        assert a.namelist() == b.namelist()
        for part in a.namelist():
            if part != "docProps/core.xml":  # says when the file was made
                assert a.read(part) == b.read(part), part


def test_pyz_check_finds_errors_as_installed(
    bundle: Bundle, installed: Path, server: dict[str, str], tmp_path: Path
) -> None:
    """The schemas' rules come out of the zip too: a broken total is an error there as well."""
    work = _drafts(tmp_path)
    draft = work / "2024-huaian-city-gov.toml"
    text = draft.read_text(encoding="utf-8")
    head = "[tables.requests.new_requests]\nnatural_person = "
    broken = text.replace(head + "3001\n", head + "3002\n")
    assert broken != text
    draft.write_text(broken, encoding="utf-8")
    ours = _run(_pyz(bundle, "check", draft.name), server, work)
    theirs = _run([str(installed), "check", draft.name], server, work)
    assert ours.returncode == 1
    assert "T3-BAL" in ours.stdout
    assert ours.stdout == theirs.stdout


def _terminal_env(server: dict[str, str]) -> dict[str, str]:
    return dict(server, TERM="xterm-256color", TEXTUAL_ANIMATIONS="none")


def test_pyz_full_screen_start_screen_lists_the_bundled_examples(bundle: Bundle, server: dict[str, str]) -> None:
    """No argument: the start screen, with the examples read from inside the zip; Ctrl+Q leaves."""
    before = _digest(bundle.pyz)
    session = open_and_quit(
        _pyz(bundle), "示例：淮安市人民政府2024年", cwd=bundle.pyz.parent, env=_terminal_env(server)
    )
    assert session.quit_cleanly, session.output[-3000:].decode(errors="replace")
    assert "示例：同江市退役军人事务局2020年".encode() in session.output
    assert b"Traceback" not in session.output
    assert _digest(bundle.pyz) == before
    assert sorted(p.name for p in bundle.pyz.parent.iterdir()) == [bundle.pyz.name]


def test_pyz_full_screen_opens_a_draft(bundle: Bundle, server: dict[str, str], tmp_path: Path) -> None:
    """A draft opens in the editor (stylesheet, sections) and is saved on the way out."""
    work = _drafts(tmp_path)
    draft = work / "2024-huaian-city-gov.toml"
    env = dict(_terminal_env(server), GOVREPORT_DIR=str(work))
    session = open_and_quit(_pyz(bundle, str(draft)), "基本信息", cwd=work, env=env)
    assert session.quit_cleanly, session.output[-3000:].decode(errors="replace")
    assert "一、总体情况".encode() in session.output
    check = _run(_pyz(bundle, "check", draft.name), server, work)
    assert check.returncode == 0, check.stdout + check.stderr


def test_bytecode_at_the_root_sources_inside(bundle: Bundle) -> None:
    """Bytecode of the Python that built it, stored uncompressed; each module's source in sources.zip."""
    importer = zipimport.zipimporter(str(bundle.pyz))
    assert compiled_for_this_python(importer)
    with zipfile.ZipFile(bundle.pyz) as zf:
        names = set(zf.namelist())
        assert {info.compress_type for info in zf.infolist()} == {zipfile.ZIP_STORED}
        with zipfile.ZipFile(io.BytesIO(zf.read(SOURCES))) as inner:
            sources = set(inner.namelist())
    first = {"__main__.py", "govreport_python_check.py"}  # for old Pythons: source only
    boot = {"tui/__init__.py", "tui/bundle_boot.py"}  # for other versions: source to start the extraction
    assert {name for name in names if name.endswith(".py")} == first | boot
    assert {"tui/cli.py", "textual/app.py", "jinja2/environment.py"} <= sources
    assert {name + "c" for name in sources | boot} <= names  # every module has its bytecode
    assert {"tui/schemas/gov-2021.toml", "tui/templates/report.html.j2", "tui/app/app.tcss"} <= names
    assert not [name for name in names if name.endswith((".so", ".pyd"))]


def test_an_extracted_copy_runs_and_is_made_once(bundle: Bundle, server: dict[str, str], tmp_path: Path) -> None:
    """What a Python of another version runs from: the sources without bytecode, in the user's cache."""
    target = tmp_path / "cache" / "pyz-test"
    assert extract(str(bundle.pyz), target) == target
    stamp = (target / "tui" / "cli.py").stat().st_mtime_ns
    assert extract(str(bundle.pyz), target) == target
    assert (target / "tui" / "cli.py").stat().st_mtime_ns == stamp
    assert not list(target.rglob("*.pyc"))
    assert (target / "tui" / "cli.py").is_file() and not (target / SOURCES).exists()
    assert [p.name for p in target.parent.iterdir()] == ["pyz-test"]  # no half-extracted scratch left
    code = f"import sys; sys.path.insert(0, {str(target)!r}); from tui.cli import main; sys.exit(main(['formats']))"
    ours = _run([sys.executable, "-I", "-S", "-c", code], server, tmp_path)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == _run(_pyz(bundle, "formats"), server, tmp_path).stdout


_READ_INSIDE = """
import sys
sys.path.insert(0, sys.argv[1])
from tui.core.formats import all_formats
from tui.core.drafts_folder import bundled_examples
from tui.core.resources import resource_files
schemas = resource_files("schemas")
print(type(schemas).__name__, schemas)
print(sorted(all_formats()))
print([example.name for example in bundled_examples()])
print((schemas / "gov-2021.toml").read_text(encoding="utf-8") == open(sys.argv[2], encoding="utf-8").read())
print((schemas / "missing.toml").is_file(), (schemas / "gov-2021.toml").is_dir(), "zipfile" in sys.modules)
"""


def test_resources_are_read_from_inside_the_zip(bundle: Bundle, server: dict[str, str], tmp_path: Path) -> None:
    """Through the zipimporter that loaded the package: no path on disk, no second reading of the zip."""
    schema = ROOT / "schemas" / "gov-2021.toml"
    result = _run([sys.executable, "-I", "-S", "-c", _READ_INSIDE, str(bundle.pyz), str(schema)], server, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"ZipTree {bundle.pyz}/tui/schemas",
        "['2019-trial', '2021']",
        "['2020-tongjiang-veterans-bureau.toml', '2024-huaian-city-gov.toml']",
        "True",
        "False False False",
    ]


def _pythons() -> dict[tuple[int, int], str]:
    """Other Python interpreters on this machine (on PATH, or installed by pyenv), by version."""
    candidates = [shutil.which(f"python{v}") for v in ["2.7", *(f"3.{m}" for m in range(6, 16))]]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += [str(p) for p in sorted(pyenv.glob("*/bin/python[23].*")) if re.search(r"python\d\.\d+$", p.name)]
    found: dict[tuple[int, int], str] = {}
    for exe in filter(None, candidates):
        try:
            out = subprocess.run(
                [exe, "-c", "import sys; print('%d %d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=20,
            )
        except OSError:
            continue
        if out.returncode == 0:
            major, minor = map(int, out.stdout.split())
            found.setdefault((major, minor), exe)
    return found


PYTHONS = _pythons()
OLDER = {v: exe for v, exe in PYTHONS.items() if v < REQUIRED}
NEWER = {v: exe for v, exe in PYTHONS.items() if v >= REQUIRED and v != sys.version_info[:2]}


def test_too_old_message() -> None:
    message = too_old_message((3, 10, 12), "/usr/bin/python3")
    assert message is not None
    assert "需要 Python 3.11 或更高版本" in message and "/usr/bin/python3 是 Python 3.10.12" in message
    assert "\n" not in message
    assert too_old_message((3, 6, 8), "python3") is not None
    assert too_old_message((2, 7, 18), "python") is not None
    assert too_old_message((3, 11, 0), "python3") is None
    assert too_old_message((3, 13, 1), "python3") is None


def test_too_old_message_is_encoded_for_the_terminal() -> None:
    message = too_old_message((3, 8, 10), "python3")
    assert message is not None
    assert encode_for(message, "gbk").decode("gbk") == message
    assert encode_for(message, "UTF-8").decode("utf-8") == message
    assert encode_for(message, "ascii") == message.encode("utf-8")  # a C locale: UTF-8 rather than a traceback
    assert encode_for(message, None) == message.encode("utf-8")


@pytest.mark.parametrize("name", ["__main__.py", "govreport_python_check.py"])
def test_first_files_of_the_pyz_parse_on_old_pythons(bundle: Bundle, name: str) -> None:
    with zipfile.ZipFile(bundle.pyz) as zf:
        source = zf.read(name).decode("utf-8")
    tree = ast.parse(source, feature_version=(3, 6))
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr | ast.AnnAssign)]
    futures = [alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names]
    assert "annotations" not in futures  # Python 3.6 refuses it


def test_the_version_check_comes_first_and_parses_on_old_pythons(bundle: Bundle) -> None:
    """`python -m tui` and the .pyz both check the version with tui/python_check.py before anything else."""
    for path in (ROOT / "tui" / "__main__.py", ROOT / "tui" / "python_check.py", ROOT / "tui" / "__init__.py"):
        ast.parse(path.read_text(encoding="utf-8"), feature_version=(3, 6))
    with zipfile.ZipFile(bundle.pyz) as zf:
        assert zf.read("govreport_python_check.py") == (ROOT / "tui" / "python_check.py").read_bytes()
        main = ast.parse(zf.read("__main__.py"))
    calls = [node.func.id for node in ast.walk(main) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    assert calls[0] == "exit_if_too_old"
    imports = [node.module for node in main.body if isinstance(node, ast.ImportFrom)]
    assert imports[0] == "govreport_python_check"


@pytest.mark.skipif(not OLDER, reason="no Python older than 3.11 on this machine")
@pytest.mark.parametrize("version", sorted(OLDER), ids=lambda v: "python{}.{}".format(*v))
def test_pyz_on_a_too_old_python_says_so_in_one_line(
    bundle: Bundle, server: dict[str, str], version: tuple[int, int]
) -> None:
    flags = ["-I", "-S"] if version >= (3, 4) else ["-E", "-s", "-S"]
    for lang in ("C.UTF-8", "C"):  # an ASCII locale must not turn the message into a traceback
        result = subprocess.run(
            [OLDER[version], *flags, str(bundle.pyz), "formats"],
            capture_output=True,
            env=dict(server, LANG=lang),
            cwd=bundle.pyz.parent,
            timeout=60,
        )
        stderr = result.stderr.decode("utf-8")
        assert result.returncode == 2, stderr
        assert result.stdout == b""
        assert len(stderr.splitlines()) == 1
        assert "需要 Python 3.11 或更高版本" in stderr and "{}.{}.".format(*version) in stderr
        assert "Traceback" not in stderr and "SyntaxError" not in stderr


@pytest.mark.skipif(not NEWER, reason="no other Python 3.11+ on this machine")
@pytest.mark.parametrize("version", sorted(NEWER), ids=lambda v: "python{}.{}".format(*v))
def test_pyz_on_another_python_extracts_once_to_the_cache(
    bundle: Bundle, installed: Path, server: dict[str, str], version: tuple[int, int]
) -> None:
    python = NEWER[version]
    expected = _run([str(installed), "formats"], server, bundle.pyz.parent).stdout
    cache = Path(server["HOME"]) / ".cache" / "govreport-tui"
    first = _run(_pyz(bundle, "formats", python=python), server, bundle.pyz.parent)
    assert first.returncode == 0, first.stderr
    assert first.stdout == expected
    (extracted,) = cache.iterdir()
    assert extracted.name.startswith(f"pyz-{VERSION}-")
    stamp = (extracted / "tui" / "cli.py").stat().st_mtime_ns
    export = _pyz(bundle, "export", str(REPORTS / "2024-huaian-city-gov.toml"), "--to", "txt", python=python)
    again = _run(export, server, bundle.pyz.parent)
    assert again.stdout == (REPORTS / "2024-huaian-city-gov.txt").read_text(encoding="utf-8")
    assert [p.name for p in cache.iterdir()] == [extracted.name]
    assert (extracted / "tui" / "cli.py").stat().st_mtime_ns == stamp
    assert sorted(p.name for p in bundle.pyz.parent.iterdir()) == [bundle.pyz.name]


@pytest.mark.skipif(not NEWER, reason="no other Python 3.11+ on this machine")
def test_pyz_on_another_python_without_a_writable_cache(bundle: Bundle, server: dict[str, str], tmp_path: Path) -> None:
    """The cache folder cannot be made (here: under a file): a copy for this run only, gone afterwards."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(server, XDG_CACHE_HOME=str(blocker), TMPDIR=str(scratch))
    result = _run(_pyz(bundle, "formats", python=NEWER[min(NEWER)]), env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2019-trial" in result.stdout
    assert list(scratch.iterdir()) == []


def test_no_folder_to_extract_to_is_one_line_not_a_traceback(
    bundle: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))

    def no_temporary_folder() -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(bundle_boot, "_temporary_folder", no_temporary_folder)
    with pytest.raises(SystemExit) as stopped:
        bundle_boot.extracted_root(str(bundle.pyz), "test")
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert message.startswith(f"无法解压程序文件：{blocker}/govreport-tui：") and message.count("\n") == 1
    assert "Permission denied" in message


def test_extracted_root_is_in_the_cache_folder(bundle: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = bundle_boot.extracted_root(str(bundle.pyz), "test")
    assert root == str(tmp_path / "cache" / "govreport-tui" / "pyz-test")
    assert (Path(root) / "tui" / "cli.py").is_file()
