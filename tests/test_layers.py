"""The layers of the three packages, read from their source: every import, no cycle, no long module.

Every ``import`` and ``from ... import`` of every module of ``conformance/`` (``h1conform``), ``fuzz/``
(``h1conform_fuzz``) and ``server_under_test/`` (``h1conform_server``) counts -- at module level, inside
functions, under ``if``/``try``/``TYPE_CHECKING``, relative or absolute -- and is mapped to the module it
loads (``from . import x`` to the module ``x`` when there is one, else to the package).  The layers, top down:

======================  ==============================================================================
``entry``               ``h1conform.cli``: the command line; the only module of h1conform that may
                        import the fuzz package (``h1conform fuzz``) or the bundled server (the default target)
``fuzz``                ``h1conform_fuzz``: built on the reference and on the parser it fuzzes
``reference``           the rest of ``h1conform``: the reference (grammar, parsers, client), cases, suite
``server``              ``h1conform_server``: the bundled server, independent of the reference *on purpose*
                        (it is what the reference checks; it keeps its own grammar)
======================  ==============================================================================

A layer imports only from itself and the layers :data:`ALLOWED` lists, so no cycle can run between packages;
inside a package, no cycle runs between modules either.  To let a new module import across, add it to a layer
here and say why in its docstring.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 450
PACKAGES = ("h1conform", "h1conform_fuzz", "h1conform_server")
ENTRY = {"h1conform.cli"}
ALLOWED = {
    "entry": {"entry", "fuzz", "reference", "server"},
    "fuzz": {"fuzz", "reference", "server"},
    "reference": {"reference"},
    "server": {"server"},
}
#: the folder names the packages are installed from: never an import name
FOLDER_NAMES = {"conformance", "fuzz", "server_under_test", "fixtures"}


def _folders() -> Dict[str, Path]:
    """Import name -> folder, from pyproject.toml's package-dir (the one place that maps them)."""
    with open(ROOT / "pyproject.toml", "rb") as fh:
        package_dir = tomllib.load(fh)["tool"]["setuptools"]["package-dir"]
    return {name: ROOT / package_dir[name] for name in PACKAGES}


def _modules() -> Dict[str, Path]:
    """Every module of the three packages: dotted name -> file."""
    out = {}
    for package, folder in _folders().items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([package, *parts])] = path
    return out


MODULES = _modules()


def _known(name: str) -> str:
    """The deepest module of the three packages that *name* is or lies in ('' when outside them)."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in MODULES:
            return candidate
    return ""


def _imports(module: str, path: Path) -> List[Tuple[str, int]]:
    """(imported module, line) for every import in *path* that loads a module of the three packages."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # `from a import b` loads a, and a.b when b is a module
            targets = [f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in MODULES else origin
                       for alias in node.names]
        else:
            continue
        for target in targets:
            known = _known(target)
            if known and known != module:
                out.append((known, node.lineno))
    return out


GRAPH: Dict[str, Dict[str, int]] = {m: {} for m in MODULES}
for _mod, _path in MODULES.items():
    for _target, _line in _imports(_mod, _path):
        GRAPH[_mod].setdefault(_target, _line)


def layer(module: str) -> str:
    if module in ENTRY:
        return "entry"
    return {"h1conform": "reference", "h1conform_fuzz": "fuzz", "h1conform_server": "server"}[module.split(".")[0]]


def cycles(modules: Set[str]) -> List[List[str]]:
    """One cycle (a path back to its start) per strongly connected component of the graph over *modules*."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    components: List[List[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in modules:
                continue
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(MODULES)))
    try:
        for v in sorted(modules):
            if v not in index:
                connect(v)
    finally:
        sys.setrecursionlimit(limit)
    return [_path_through(set(c), c[0]) for c in components]


def _path_through(component: Set[str], start: str) -> List[str]:
    """A shortest path from *start* back to itself inside *component* (breadth first)."""
    parent: Dict[str, str] = {start: ""}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(GRAPH[v]):
                if w == start:
                    path = [v]
                    while parent[path[-1]]:
                        path.append(parent[path[-1]])
                    return path[::-1] + [start]
                if w in component and w not in parent:
                    parent[w] = v
                    nxt.append(w)
        frontier = nxt
    return [start]


def _render(cycle: List[str]) -> str:
    return " -> ".join(f"{a} (line {GRAPH[a][b]})" for a, b in zip(cycle, cycle[1:])) + f" -> {cycle[-1]}"


def long_modules(modules) -> List[str]:
    out = []
    for m in sorted(modules):
        n = len(MODULES[m].read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            out.append(f"{MODULES[m].relative_to(ROOT)}: {n} lines")
    return out


def _of(*packages: str) -> Set[str]:
    return {m for m in MODULES if m.split(".")[0] in packages}


# -- the walk itself ---------------------------------------------------------------------------------
def test_the_walk_sees_every_kind_of_import():
    assert len(_of("h1conform")) > 40 and len(_of("h1conform_fuzz")) > 8 and len(_of("h1conform_server")) > 15
    assert "h1conform_fuzz.network" in GRAPH["h1conform.cli"]  # inside a function
    assert "h1conform.grammar" in GRAPH["h1conform.strict"]  # from . import grammar
    assert "h1conform.request_walk" in GRAPH["h1conform.reference_request"]  # from .x import y
    assert "h1conform.reference" in GRAPH["h1conform_fuzz.network"]  # from a.b import c
    assert cycles({"h1conform.cli", "h1conform_fuzz.network"}) == []


def test_a_cycle_is_reported_with_its_path(monkeypatch):
    monkeypatch.setitem(GRAPH, "h1conform.grammar", {**GRAPH["h1conform.grammar"], "h1conform.strict": 1})
    found = cycles({"h1conform.grammar", "h1conform.strict"})
    assert found == [["h1conform.grammar", "h1conform.strict", "h1conform.grammar"]], found
    line = GRAPH["h1conform.strict"]["h1conform.grammar"]
    assert _render(found[0]) == f"h1conform.grammar (line 1) -> h1conform.strict (line {line}) -> h1conform.grammar"


# -- the reference and the fuzzers: for real -----------------------------------------------------------
def test_no_import_cycle_in_the_reference_or_the_fuzzers():
    found = cycles(_of("h1conform", "h1conform_fuzz"))
    assert not found, "import cycles:\n" + "\n".join(_render(c) for c in found)


def test_no_module_of_the_reference_or_the_fuzzers_is_over_450_lines():
    found = long_modules(_of("h1conform", "h1conform_fuzz"))
    assert not found, "split these modules (one job each):\n" + "\n".join(found)


def test_each_layer_imports_only_the_layers_below_it():
    wrong = [f"{m} ({layer(m)}) imports {t} ({layer(t)}) at line {line}"
             for m, targets in sorted(GRAPH.items()) for t, line in sorted(targets.items())
             if layer(t) not in ALLOWED[layer(m)]]
    assert not wrong, "\n".join(wrong)


def test_nothing_imports_the_entry_module():
    wrong = [f"{m} imports {t}" for m, targets in GRAPH.items() for t in targets if t in ENTRY and m not in ENTRY]
    assert not wrong, wrong


def test_one_import_name_per_package_and_no_sys_path_hack():
    """Code anywhere in the repository imports the packages by their installed names, never by folder, and
    never edits sys.path to find them."""
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("build", ".ci-venv", ".tox", ".git") or "site-packages" in rel.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            wrong += [f"{rel}:{node.lineno} imports {n}" for n in names if n.split(".")[0] in FOLDER_NAMES]
            if isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name) \
                    and node.value.id == "sys":
                wrong.append(f"{rel}:{node.lineno} uses sys.path")
    assert not wrong, "\n".join(wrong)


# -- the bundled server: the lead's refactor in progress ---------------------------------------------------
def test_server_has_no_import_cycle_and_no_module_over_450_lines():
    found = cycles(_of("h1conform_server"))
    problems = ["import cycle: " + _render(c) for c in found] + long_modules(_of("h1conform_server"))
    assert not problems, "\n".join(problems)
