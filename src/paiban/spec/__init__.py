"""The spec stage: report.yaml → a validated, located `Spec`.

- `safeyaml`, `loader`: YAML read safely, with the node tree kept to locate every value;
  pydantic's errors turned into located problems.
- `base`, `lengths`, `values`, `charts`, `model`: the typed model (the JSON Schema comes from it);
  `model.Spec.blocks()` is the one walk over the body's blocks.
- `loaded`: `LoadedSpec`, a valid spec with its folder and key paths back to file positions.
- `load`: `load_spec`, the stage itself (overrides, validation, checks).
- `checks`: cross-checks the model cannot make alone.
- `styles`, `geometry`: the spec's text styles and page geometry, resolved to points.
"""
