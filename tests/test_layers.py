"""The layer order of ``repair``, written down once, and a test that the imports keep to it.

Every module of ``repair`` belongs to one layer. A module may import modules of its own layer and
of the layers below it, never of a layer above; and the imports among ``repair`` modules have no
cycle. The README's development section draws this table.

What counts as an import: every ``import`` / ``from ... import`` statement anywhere in a module,
module level and inside functions alike (a lazy import is still a dependency), and those under
``if TYPE_CHECKING:`` too (a type names a dependency as much as a call does). ``from . import x``
counts as importing ``repair.x`` when that is a module, else the package itself. Importing
``repair.a.b`` also runs ``repair/a/__init__.py``, so it counts as importing ``repair.a`` as well
(the root package ``repair`` is left out of that: every module is under it). Names a module
imports through strings (``repair.checks.registry``'s ``Source.module``) are not read.

One pattern is not a cycle: a package's ``__init__`` importing its own submodules (the built-in
formats registering themselves at the end of ``repair/report/__init__.py``, the package face
re-exporting its parts). Those edges are left out of the cycle check; the layer check still
applies to them.

A new module must be given a layer here: the test fails naming the file.
"""
from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Iterable, Mapping

import pytest

ROOT = Path(__file__).resolve().parent.parent / "repair"

# Bottom to top. Patterns are fnmatch-style over dotted module names; a package's __init__ is
# the package's own name ("repair.report"). The first layer whose pattern matches wins.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # the data types and the text layer every stage uses
    ("core", ("repair.model", "repair.text", "repair.version")),
    # leaf services: options, reading and writing bytes, edits, input formats, word lists
    ("basics", ("repair.options", "repair.decode", "repair.edits", "repair.nonprose",
                "repair.terminal", "repair.output", "repair.wordlists", "repair.lexicon",
                "repair.markdown", "repair.suppress", "repair.formats", "repair.formats.*",
                "repair.files", "repair.gitdiff", "repair.chunkstate", "repair.cache", "repair.ruleyaml",
                # translation-file parsers (units and splicing): bytes in, units out
                "repair.bilingual", "repair.bilingual.units", "repair.bilingual._xml", "repair.bilingual.po",
                "repair.bilingual.xliff", "repair.bilingual.tmx", "repair.bilingual.tables",
                "repair.bilingual.language")),
    # what finds things: encoding repair, rule kinds and rule packs, check sources
    ("detectors", ("repair.encoding", "repair.rulekinds", "repair.rulekinds.*", "repair.rulebook",
                   "repair.readability", "repair.tagger", "repair.tagger.*", "repair.names",
                   "repair.checks", "repair.checks.*", "repair.untranslated",
                   # the garble score's features and model (checks.garble flags sentences by it)
                   "repair.score", "repair.score.*")),
    # the fixed-point loop and merging of findings
    ("engine", ("repair.merge", "repair.pipeline")),
    # the library API and what is built on it without a user interface
    ("library", ("repair", "repair.api", "repair.chunks", "repair.catalog", "repair.validate",
                 "repair.config", "repair.baseline", "repair.bilingual.run", "repair.bilingual.result",
                 "repair.bilingual.paired",
                 # glossaries and source.inconsistent of translation files (checks.source's helpers)
                 "repair.bilingual.glossary", "repair.bilingual.consistency")),
    # output formats (the --format registry)
    ("output", ("repair.report", "repair.report.*")),
    # applications: a run over many files, a session, review
    ("applications", ("repair.session", "repair.session.*", "repair.batch", "repair.batch.*",
                      "repair.parallel", "repair.distributed", "repair.interactive")),
    # the command line
    ("commands", ("repair.cli", "repair.cli.*", "repair.cli_*", "repair.commands",
                  "repair.commands.*")),
)


def layer_of(module: str, layers: Iterable[tuple[str, tuple[str, ...]]] = LAYERS) -> int | None:
    for index, (_name, patterns) in enumerate(layers):
        if any(fnmatchcase(module, p) for p in patterns):
            return index
    return None


def modules(root: Path = ROOT, package: str = "repair") -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(module: str, path: Path, known: Mapping[str, Path]) -> dict[str, int]:
    """The modules of ``known`` that ``module`` imports -> the first line that does."""
    is_package = path.name == "__init__.py"
    root = module.split(".")[0]
    out: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        while target not in known and "." in target:
            target = target.rsplit(".", 1)[0]
        if target not in known:
            return
        # importing a.b.c runs a/__init__ and a/b/__init__ (the root package excepted)
        parts = target.split(".")
        for name in [".".join(parts[:i]) for i in range(2, len(parts))] + [target]:
            if name != module and name in known:
                out.setdefault(name, line)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == root:
                    add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != root:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                add(sub if sub in known else target, node.lineno)
    return out


def graph(root: Path = ROOT, package: str = "repair") -> tuple[dict[str, Path], dict[str, dict[str, int]]]:
    known = modules(root, package)
    return known, {m: imports(m, p, known) for m, p in known.items()}


def _is_own_submodule(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def cycles(edges: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
    """The import cycles (strongly connected components of more than one module), a package's
    imports of its own submodules left out."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def successors(m: str) -> list[str]:
        return [t for t in edges.get(m, ()) if t in edges and not _is_own_submodule(m, t)]

    for start in edges:
        if start in index:
            continue
        # iterative Tarjan (the graph is small, but recursion depth is not the point here)
        work = [(start, iter(successors(start)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors(nxt))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def upward(known: Mapping[str, Path], edges: Mapping[str, Mapping[str, int]],
           layers: tuple[tuple[str, tuple[str, ...]], ...] = LAYERS) -> list[str]:
    """Each import from a lower layer to a higher one, as 'file:line: a (layer) imports b (layer)'."""
    out = []
    for module, targets in edges.items():
        mine = layer_of(module, layers)
        for target, line in targets.items():
            theirs = layer_of(target, layers)
            if mine is not None and theirs is not None and theirs > mine:
                out.append(f"{known[module]}:{line}: {module} ({layers[mine][0]}) imports "
                           f"{target} ({layers[theirs][0]})")
    return sorted(out)


def unassigned(known: Mapping[str, Path],
               layers: tuple[tuple[str, tuple[str, ...]], ...] = LAYERS) -> list[str]:
    return sorted(str(path) for module, path in known.items() if layer_of(module, layers) is None)


# --- the tests -------------------------------------------------------------------------------

def test_every_module_has_a_layer() -> None:
    known, _ = graph()
    missing = unassigned(known)
    assert not missing, f"give these modules a layer in tests/test_layers.py LAYERS: {missing}"


def test_no_import_cycle() -> None:
    _, edges = graph()
    assert cycles(edges) == []


def test_no_upward_import() -> None:
    known, edges = graph()
    assert upward(known, edges) == []


def test_the_reader_sees_real_imports() -> None:
    """The reader finds a module-level import, a lazy one and a relative one of this tree."""
    _, edges = graph()
    assert "repair.model" in edges["repair.pipeline"]          # module level, relative
    assert "repair.merge" in edges["repair.pipeline"]          # inside a function
    assert "repair.checks" in edges["repair.checks.harper"]    # from . import X (X a name)
    assert "repair.checks" in edges["repair.checks.registry"]  # under TYPE_CHECKING


# --- the checker on a planted tree -----------------------------------------------------------

TOY_LAYERS = (("low", ("toy.low", "toy.low.*")), ("high", ("toy", "toy.high"),))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "toy"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_checker_finds_a_planted_upward_import_inside_a_function(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "high.py": "from .low import thing\n",
        "low/__init__.py": "def thing():\n    from ..high import other  # lazy, but upward\n",
    })
    known, edges = graph(root, "toy")
    found = upward(known, edges, TOY_LAYERS)
    assert len(found) == 1 and "toy.low (low) imports toy.high (high)" in found[0]
    assert found[0].split(":")[1] == "2"
    assert cycles(edges) == [["toy.high", "toy.low"]]


def test_checker_passes_the_same_tree_without_the_planted_import(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "from . import high\n",          # a package importing its own part
        "high.py": "import toy.low\nfrom toy import low\n",
        "low/__init__.py": "def thing():\n    return 1\n",
        "low/part.py": "from . import thing\n",          # a part importing its package
    })
    known, edges = graph(root, "toy")
    assert upward(known, edges, TOY_LAYERS) == []
    assert cycles(edges) == []
    assert edges["toy.high"] == {"toy.low": 1}


def test_checker_names_a_module_without_a_layer(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"__init__.py": "", "high.py": "", "stray.py": "import toy.high\n"})
    known, _ = graph(root, "toy")
    assert unassigned(known, TOY_LAYERS) == [str(root / "stray.py")]


@pytest.mark.parametrize("module, layer", [
    ("repair.cli_batch", "commands"), ("repair.commands.check", "commands"),
    ("repair.batch.records", "applications"), ("repair.score.features", "detectors"),
    ("repair.report.sarif", "output"), ("repair.checks.harper", "detectors"),
])
def test_layer_patterns_cover_modules_being_restructured(module: str, layer: str) -> None:
    index = layer_of(module)
    assert index is not None and LAYERS[index][0] == layer


def test_the_readme_draws_these_layers() -> None:
    """The picture in the README's development section lists LAYERS, top first."""
    readme = (ROOT.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Development"):]
    picture = section[section.index("```\n") + 4:section.index("\n```", section.index("```\n") + 4)]
    names = [line.split()[0] for line in picture.splitlines() if line and not line.startswith(" ")]
    assert names == [name for name, _ in reversed(LAYERS)]
