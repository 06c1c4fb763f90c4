"""The service is a package of its own: only the faces (engine/commands, engine/cli) import it."""

from __future__ import annotations

import ast
from pathlib import Path

from engine import PROJECT_ROOT

ENGINE = PROJECT_ROOT / "engine"
ALLOWED = (ENGINE / "service", ENGINE / "commands")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_product_imports_the_service():
    offenders = [
        str(path.relative_to(PROJECT_ROOT)) for path in sorted(ENGINE.rglob("*.py"))
        if not any(path.is_relative_to(folder) for folder in ALLOWED)
        and any(name == "engine.service" or name.startswith("engine.service.") for name in _imports(path))
    ]
    assert offenders == []


def test_the_service_imports_no_product_nor_face():
    allowed = {"engine", "engine.errors"}
    found = {
        name for path in (ENGINE / "service").rglob("*.py") for name in _imports(path)
        if name.startswith("engine") and not name.startswith("engine.service")
    }
    assert found <= allowed, found - allowed


def test_other_commands_do_not_pay_for_the_database():
    """`fsl build` and the others start without importing SQLAlchemy, Alembic, argon2 or the sealing."""
    import subprocess
    import sys

    probe = ("import sys, engine.cli; print(sorted(m for m in ('sqlalchemy', 'alembic', 'argon2', "
             "'engine.service.database', 'engine.service.sealing') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                           cwd=PROJECT_ROOT, timeout=60).stdout
    assert shown == "[]\n"
