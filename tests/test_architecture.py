"""The pipeline's packages import only what docs/architecture.md allows.

Every import of every module counts, including imports inside functions and
under TYPE_CHECKING: a rule that holds only at run time would still let
format knowledge leak between stages.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "handouts"

# package -> the packages it may import (besides itself, `errors`, and the standard
# library and third-party libraries). Top-level modules (build, cli, recheck) are
# the orchestrators and may import any package.
ALLOWED = {
    "assets": set(),
    "model": set(),
    "load": {"model"},
    "i18n": {"model", "load"},
    "plan": {"model", "load", "i18n", "assets", "render.registry", "render.builder"},
    "render": {"model", "assets", "verify"},
    "verify": {"model", "assets"},
    "write": set(),
    # The preview: builds through build.py, reads and writes nothing of the pipeline itself.
    "serve": {"build", "write.signals"},
}


def _imports(path: Path) -> set[str]:
    """Dotted names under handouts that the module imports."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name == "__init__.py":
        module = module.rsplit(".", 1)[0] + ".__init__"
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[:-node.level]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            names = [f"{name}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {n.removeprefix("handouts.") for n in names if n.startswith("handouts.")}
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) > 1:
            graph.setdefault(relative.parts[0], set()).update(_imports(path))
    return graph


def _allowed(package: str, target: str) -> bool:
    if target.startswith((f"{package}.", "errors")) or target == package:
        return True
    return any(target == rule or target.startswith(rule + ".") for rule in ALLOWED[package])


def test_every_stage_package_imports_only_what_the_architecture_allows():
    graph = _graph()
    assert set(graph) == set(ALLOWED), "a package was added or removed: update ALLOWED and docs"
    broken = sorted(f"{package} imports {target}" for package, targets in graph.items()
                    for target in targets if not _allowed(package, target))
    assert broken == []


def test_the_rules_that_matter_most_are_there_to_be_broken():
    """The three rules the design names, checked against the real graph."""
    graph = _graph()
    assert not any(t.startswith("render") for t in graph["load"])  # loaders never render
    assert not any(t.startswith(("load", "i18n")) for t in graph["render"])  # no content files
    assert not any(t.startswith("render") for t in graph["verify"])  # checks stay independent
    assert any(t.startswith("verify") for t in graph["render"])  # builders declare their check


def test_the_checker_sees_a_forbidden_import(tmp_path):
    module = tmp_path / "handouts" / "load" / "bad.py"
    module.parent.mkdir(parents=True)
    module.write_text("def f():\n    from ..render.pdf import html\n", "utf-8")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "handouts"
    try:
        assert _imports(module) == {"render.pdf.html"}
        assert not _allowed("load", "render.pdf.html")
    finally:
        PACKAGE = saved


def test_no_module_is_named_like_a_model_class():
    """plan.py beside model.Plan, content.py beside model.Content: names that mislead.

    (Inside model/ a module is named after the class it defines, as it should be.)
    """
    from handouts import model

    classes = {name.lower() for name in model.__all__ if name[0].isupper()}
    modules = {path.stem.replace("_", "") for path in PACKAGE.rglob("*.py")
               if path.parent.name != "model"}
    assert classes & modules == set()
