"""The house rules, read off the source: imports only go down the layers, there is no
import circle anywhere, and nothing is imported inside a function to dodge one (lazy
imports only for heavy optional dependencies)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Lower layers first; a module may import its own layer and those below it.
LAYERS = {
    "dokvault": 0, "dokvault.settings": 0, "dokvault.i18n": 0,
    "dokvault.models": 1,
    "dokvault.core": 2, "dokvault.db": 2, "dokvault.migrations": 2,
    "dokvault.ai": 3, "dokvault.extract": 3, "dokvault.storage": 3, "dokvault.integrations": 3,
    "dokvault.drives": 3,
    "dokvault.services": 4,
    "dokvault.state": 5, "dokvault.api": 5,
    "dokvault.components": 6,
    "dokvault.pages": 7,
    "workers": 8,
    "dokvault.dokvault": 9, "dokvault.cli": 9,
}
# Imported where they are used: SDKs of which a deployment needs one at most.
LAZY = {"dokvault.ai.anthropic_provider", "dokvault.ai.openai_provider"}


def _modules() -> dict[str, Path]:
    found = {}
    for top in ("dokvault", "workers"):
        for path in (ROOT / top).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _targets(node: ast.Import | ast.ImportFrom, importer: str) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        subs = [f"{base}.{a.name}" for a in node.names]
        names = [s for s in subs if s in MODULES] or [base]
        if any(s not in MODULES for s in subs):
            names.append(base)
    return [r for n in names if (r := _resolve(n)) and r != importer]


def _layer(module: str) -> int:
    prefix = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[prefix]


def _imports(module: str) -> tuple[set[str], list[tuple[str, str]]]:
    """(what `module` imports at its top level, (function, module) of imports in functions)."""
    tree = ast.parse(MODULES[module].read_text())
    top = {t for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
           for t in _targets(node, module)}
    inner = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    inner += [(function.name, t) for t in _targets(node, module)]
    return top, inner


def test_imports_only_go_down_the_layers():
    upward = [f"{m} -> {t}" for m in MODULES for t in _imports(m)[0] if _layer(t) > _layer(m)]
    assert upward == []


def test_there_is_no_import_circle():
    graph = {m: _imports(m)[0] for m in MODULES}
    circles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                circles.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_nothing_is_imported_inside_a_function_but_heavy_optional_dependencies():
    dodges = [f"{m}.{f} imports {t}" for m in MODULES for f, t in _imports(m)[1] if t not in LAZY]
    assert dodges == []


def test_every_domain_package_has_a_face():
    packages = [p.parent for p in (ROOT / "dokvault" / "services").glob("*/__init__.py")]
    assert {p.name for p in packages} >= {"auth", "documents", "search", "intelligence", "admin",
                                         "notify", "ops", "drives"}
    faceless = [p.name for p in packages if "__all__" not in (p / "__init__.py").read_text()]
    assert faceless == []


def test_rate_limit_policies_live_in_the_services_that_own_the_operations():
    # The limiter counts; what an operation allows is the owning service's business.
    counting = [m for m in MODULES if "dokvault.core.ratelimit" in _imports(m)[0]
                and not m.startswith(("dokvault.services.", "dokvault.core."))]
    assert counting == ["dokvault.api.http"]  # only to type the refusal it answers with
    policies = [p for p in (ROOT / "dokvault").rglob("*.py")
                if "ratelimit.Policy(" in p.read_text() and "services" not in p.parts]
    assert policies == []
