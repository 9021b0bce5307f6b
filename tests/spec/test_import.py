"""The spec stage's first-use costs: what loading a spec imports and builds in a fresh process.

Each check runs a fresh interpreter, because a module is imported once per process and the
test session has long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.project import ROOT

PROBE = """
import json, os, sys
import paiban.spec.load
imported_early = sorted(m for m in ("pydantic", "difflib", "paiban.spec.model") if m in sys.modules)
if os.environ.get("PROBE_STARTUP") == "1":  # as the program does (paiban.cli.startup)
    from paiban.cli.startup import build_spec_model
    build_spec_model()
loaded = paiban.spec.load.load_spec("report.yaml")
loader = sys.modules.get("pydantic.plugin._loader")
metadata_imported = "importlib.metadata" in sys.modules
import pydantic.plugin._loader  # what a pydantic model built later (not paiban's) gets
print(json.dumps({
    "metadata_imported": metadata_imported,
    "loader_after": hasattr(pydantic.plugin._loader, "entry_points"),
    "imported_early": imported_early,
    "env_after": os.environ.get("PYDANTIC_DISABLE_PLUGINS"),
    "plugins_scanned": loader is not None and loader._plugins is not None,
    "difflib": "difflib" in sys.modules,
    "title": loaded.spec.document.title,
}))
"""


def probe(**env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    environ.update(env, PYTHONPATH=str(ROOT / "src"))
    r = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_importing_the_spec_package_leaves_pydantic_and_the_model_to_the_first_load() -> None:
    found = probe()
    assert found["imported_early"] == []
    assert found["title"] == "党旗在农村基层高高飘扬"
    assert not found["difflib"]  # did-you-mean is only for a spec with an error


def test_the_model_is_built_without_a_plugin_scan_and_the_environment_is_left_as_it_was() -> None:
    found = probe(PROBE_STARTUP="1")
    assert found["plugins_scanned"] is False  # pydantic's private cache: still unfilled
    assert found["env_after"] is None
    assert found["metadata_imported"] is False  # the plugin loader's import of importlib.metadata: skipped
    assert found["loader_after"] is True  # pydantic's own loader again, once the model is built


def test_a_plugin_setting_of_the_users_own_is_kept() -> None:
    assert probe(PYDANTIC_DISABLE_PLUGINS="logfire", PROBE_STARTUP="1")["env_after"] == "logfire"


def test_a_library_caller_without_the_startup_patch_loads_the_same_spec() -> None:
    found = probe()
    assert found["title"] == "党旗在农村基层高高飘扬"
    assert found["env_after"] is None


def test_the_model_classes_are_annotated_with_objects_not_strings() -> None:
    """pydantic evaluates a string annotation (what `from __future__ import annotations` makes of
    every one) before it can build a class: compiled and evaluated, about a fifth of building the
    model. The model modules write them as objects; a string is only for a class defined later."""
    from pydantic import BaseModel

    import paiban.spec.model  # noqa: F401 - builds every model class

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    strings = sorted(f"{cls.__name__}.{name}" for cls in subclasses(BaseModel)
                     if cls.__module__.startswith("paiban.spec.")
                     for name, ann in vars(cls).get("__annotations__", {}).items() if isinstance(ann, str))
    assert strings == ["ArticleBlock.article"]  # ArticleSpec holds blocks, ArticleBlock among them
