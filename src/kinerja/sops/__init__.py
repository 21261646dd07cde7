"""The seeded SOP definitions: one YAML file per SOP version, named `<agency>--<code>.yaml`.

The format is described in docs/sop-format.md; read the files with
`kinerja.workflow.definitions.parse_sop`, never with a plain YAML loader
(YAML 1.1 would turn the decision keys `yes:`/`no:` into booleans).
"""

from pathlib import Path

SOPS_DIR = Path(__file__).resolve().parent


def definition_paths() -> list[Path]:
    """Every shipped definition file, sorted by name."""
    return sorted(SOPS_DIR.glob("*.yaml"))
