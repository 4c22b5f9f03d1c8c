"""Each app folder's README stays true to the code: every `module.function` it names exists.

A README that lists a function renamed or removed long ago sends the next engineer looking for
it; this test makes the rename fail until the README follows. Names in backticks that look like
dotted Python names are resolved from the app (`selectors.unit_on`), from `giamngheo`
(`accounts.access.area_scope`) or as written; a bare name (`household_split`) must be defined
somewhere in our code or be a module; names of files (`bulk.py`, `standards/contract.py`)
must exist in the app, in `giamngheo/` or in the repository.
"""

import importlib
import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()  # not read for names: its own examples of missing ones would count
PACKAGE = HERE.parents[2]
REPO = PACKAGE.parent
APPS = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())

TICKED = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
BARE = re.compile(r"[A-Za-z_]\w*")
FILE = re.compile(r"[\w./-]+\.(?:py|yaml|toml|md|html|po|cfg|ini|js)")
# Dotted words that are not Python: keys of the YAML law, a setting's value.
NOT_PYTHON = {"income_line.rural"}


def _resolve(dotted: str):
    """The object a dotted name denotes: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


def _exists(app: str, dotted: str) -> bool:
    for prefix in (f"giamngheo.{app}.", "giamngheo.", ""):
        try:
            _resolve(prefix + dotted)
        except (ImportError, AttributeError):
            continue
        return True
    return False


def _defined_names() -> set[str]:
    """Every name our code defines (functions, classes, assignments, fields, names given as
    strings: a template filter, an environment variable), read as text."""
    files = [*PACKAGE.rglob("*.py"), *(REPO / "config").glob("*.py"), *REPO.glob("*.py")]
    source = "\n".join(p.read_text(encoding="utf-8") for p in files if "migrations" not in p.parts and p != HERE)
    return (
        set(re.findall(r"^\s*(?:def|class)\s+(\w+)", source, re.M))
        | set(re.findall(r"^\s*(\w+)\s*[:=]", source, re.M))
        | set(re.findall(r"[\"'](\w+)[\"']", source))
    )


def _bare_exists(app: str, name: str, defined: set[str]) -> bool:
    """A bare name is something our code defines, or a module (ours or a library's)."""
    return name in defined or _exists(app, name)


def _file_exists(app: str, name: str) -> bool:
    return any((base / name).exists() for base in (PACKAGE / app, PACKAGE, REPO))


def _names(app: str):
    text = (PACKAGE / app / "README.md").read_text(encoding="utf-8")
    for ticked in TICKED.findall(text):
        token = ticked.strip().split("(")[0].strip()
        if FILE.fullmatch(token):
            yield "file", token
        elif DOTTED.fullmatch(token) and token not in NOT_PYTHON:
            yield "name", token
        elif BARE.fullmatch(token):
            yield "bare", token


@pytest.mark.parametrize("app", APPS)
def test_every_app_folder_has_a_readme(app):
    readme = PACKAGE / app / "README.md"
    assert readme.is_file(), (
        f"giamngheo/{app}/ needs a README.md: what it owns, its public functions, what it may import"
    )
    assert "May import" in readme.read_text(encoding="utf-8"), f"giamngheo/{app}/README.md says what it may import"


@pytest.mark.parametrize("app", [a for a in APPS if (PACKAGE / a / "README.md").is_file()])
def test_readme_names_exist(app):
    defined = _defined_names()
    checks = {
        "file": _file_exists,
        "name": _exists,
        "bare": lambda app, token: _bare_exists(app, token, defined),
    }
    missing = [token for kind, token in _names(app) if not checks[kind](app, token)]
    assert not missing, f"giamngheo/{app}/README.md names what the code does not have: {missing}"


def test_a_renamed_function_is_caught():
    """The check itself: a name that is not there fails, one that is passes."""
    assert _exists("geo", "selectors.communes_under")
    assert _exists("geo", "accounts.access.area_scope")
    assert not _exists("geo", "selectors.communes_beneath")
    assert not _file_exists("registry", "bulk_loader.py")
    defined = _defined_names()
    assert _bare_exists("registry", "household_split", defined)
    assert _bare_exists("core", "backup_crypto", defined)
    assert not _bare_exists("registry", "household_splitt", defined)
