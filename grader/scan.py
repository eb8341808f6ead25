"""Read a submission's source for things an instructor should look at.

The scan flags, it never scores: a submission that imports or patches
pytest, the grader or the tests, walks the garbage collector, rewrites
``sys.modules`` or builtins, or reaches for frames is reported in ``flags``.
Whether any of it raised a score is the plugin's business (it cannot).
"""

from __future__ import annotations

import ast

from grader import layout, syntax

HELPERS_SAID = {"probes": "probes", "schedule": "schedule control"}
SUSPECT_MODULES = {
    "pytest": "imports pytest", "_pytest": "imports pytest's internals",
    "pluggy": "imports pytest's plugin system", "grader": "imports the grader",
    "conftest": "imports the tests' conftest",
    **{name: "imports the tests' " + HELPERS_SAID.get(name, "helpers")
       for name in layout.helper_modules()},
    "gc": "uses the garbage collector (gc)",
    "ctypes": "uses ctypes", "builtins": "imports builtins",
}
SUSPECT_ATTRIBUTES = {
    ("sys", "modules"): "touches sys.modules", ("sys", "_getframe"): "reads stack frames",
    ("sys", "settrace"): "installs a trace function", ("sys", "setprofile"): "installs a profiler",
    ("os", "_exit"): "calls os._exit", ("os", "kill"): "sends signals",
    ("os", "killpg"): "sends signals", ("os", "fork"): "forks",
    ("os", "setsid"): "starts a new session",
}
SUSPECT_NAMES = {"__builtins__": "touches __builtins__", "__import__": "calls __import__"}


def scan(source: str, where: str) -> list[str]:
    """Flags for one topic file (empty when nothing stands out)."""
    try:
        tree = syntax.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found: dict[str, int] = {}

    def note(text: str, node: ast.AST) -> None:
        found.setdefault(text, getattr(node, "lineno", 0))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in SUSPECT_MODULES or top.startswith("test_"):
                    note(SUSPECT_MODULES.get(top, "imports a test module"), node)
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            if top in SUSPECT_MODULES or top.startswith("test_"):
                note(SUSPECT_MODULES.get(top, "imports a test module"), node)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            text = SUSPECT_ATTRIBUTES.get((node.value.id, node.attr))
            if text:
                note(text, node)
        elif isinstance(node, ast.Name) and node.id in SUSPECT_NAMES:
            note(SUSPECT_NAMES[node.id], node)
    return [f"{where} line {line}: {text}"
            for text, line in sorted(found.items(), key=lambda x: x[1])]
