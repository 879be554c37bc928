"""Check JSON Schema files against their metaschema: ``python -m opsbook.tools.metaschema``.

A schema that is not itself valid fails silently in editors (no completion, no errors) and
confuses ``opsbook check``; this catches it before a commit. The metaschema is the one the
file names in ``$schema`` (draft 2020-12 when it names none), and every problem is reported
with the file and the location inside it, not just the first.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from jsonschema.validators import validator_for

DEFAULT_GLOB = "schema/*.json"


def problems(path: Path) -> list[str]:
    """Every problem of one schema file, as ``file:line:col: message`` or ``file: at …``."""
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        return [f"{path}: not UTF-8 text ({error.reason})"]
    except json.JSONDecodeError as error:
        return [f"{path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"]
    except OSError as error:
        return [f"{path}: {error.strerror}"]
    if not isinstance(schema, dict | bool):
        return [f"{path}: a schema is an object or a boolean"]
    cls = validator_for(schema)  # the metaschema its $schema names (the newest draft if none)
    meta = cls(cls.META_SCHEMA)
    found = []
    for error in sorted(meta.iter_errors(schema), key=lambda e: list(map(str, e.absolute_path))):
        where = "/" + "/".join(str(part) for part in error.absolute_path)
        found.append(f"{path}: at {where}: {error.message}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    paths = [Path(a) for a in args] or sorted(Path().glob(DEFAULT_GLOB))
    if not paths:
        print(f"no schema files given and none match {DEFAULT_GLOB}", file=sys.stderr)
        return 2
    found = [line for path in paths for line in problems(path)]
    for line in found:
        print(line)
    summary = f"{len(paths)} schema file(s) checked against their metaschema"
    print(f"{summary}: {len(found)} problem(s)" if found else f"{summary}: valid")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
