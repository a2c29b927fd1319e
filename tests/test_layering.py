"""Imports point one way and views do not write: the house plan (docs/architecture.md), checked.

Read from the source (``ast``), nothing imported or run:

- ``common/`` imports no app (it is the kernel every app uses);
- ``corridors/`` imports neither ``funds`` nor ``consultations`` (they contribute through the
  AppConfig hooks, ``common.hooks``), and ``funds`` and ``consultations`` do not import each other;
- no view and no form writes a model itself: no ``.save()``, ``.delete()``, ``.create()``,
  ``bulk_create``/``bulk_update``, ``get_or_create``/``update_or_create``, nor a queryset's
  ``.update()``; writes go through the app's ``services/``.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("corridors", "funds", "consultations")
# Who may not import whom (import lines anywhere in the package, local imports included).
FORBIDDEN = {
    "common": set(APPS),
    "corridors": {"funds", "consultations"},
    "funds": {"consultations"},
    "consultations": {"funds"},
}
WRITES = {"save", "delete", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_for_update"}


def _sources(package: str, *, under: str | None = None):
    base = ROOT / package
    for path in sorted(base.rglob("*.py")):
        relative = path.relative_to(base)
        if "migrations" in relative.parts:
            continue
        if under is not None and relative.parts[0] not in (under, f"{under}.py"):
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_packages(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path, tree in _sources(package)
        for line, imported in _imported_packages(tree)
        if imported in FORBIDDEN[package]
    ]
    assert not wrong, "\n".join(wrong)


def _chain(node: ast.AST) -> list[str]:
    """The attribute and call names a call's receiver is built from (``X.objects.filter(...)``)."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            return names


def _writes(tree: ast.AST):
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method in WRITES or (method == "update" and QUERYSET_STEPS & set(_chain(node.func.value))):
            yield node.lineno, method


@pytest.mark.parametrize("room", ["views", "forms"])
@pytest.mark.parametrize("app", APPS)
def test_views_and_forms_write_through_services(app, room):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} calls .{method}()"
        for path, tree in _sources(app, under=room)
        for line, method in _writes(tree)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_checks_can_fail():
    """The two readers find what they look for (a walk that finds nothing proves nothing)."""
    tree = ast.parse(
        "from funds.models import Award\nimport consultations.views\n"
        "def view(request):\n    Award.objects.filter(pk=1).update(x=1)\n    request.user.save()\n"
        "    context = {}\n    context.update(a=1)\n"
    )
    assert [name for _line, name in _imported_packages(tree)] == ["funds", "consultations"]
    assert [method for _line, method in _writes(tree)] == ["update", "save"]
    assert len(list(_sources("corridors", under="views"))) > 5
