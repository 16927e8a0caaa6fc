"""Shared helpers for data files: read YAML and validate it against a pydantic model.

Every loader (facts, lessons, trees, patterns, scenarios, incidents) reports problems the same
way: a DataError naming the file and every problem at once, unknown keys called "unknown key".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lab.errors import DataError

M = TypeVar("M", bound=BaseModel)


def validation_problems(exc: ValidationError) -> list[str]:
    """One readable `location: message` line per pydantic error."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
        out.append(f"{loc}: {msg}" if loc else msg)
    return out


def read_yaml(path: Path, display: str | None = None) -> Any:
    """Parse a YAML file; DataError (naming the file) when it cannot be read or parsed."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(display or path, [f"cannot read as YAML: {exc}"]) from exc


def validate(model: type[M], raw: Any, path: Path | str) -> M:
    """Validate parsed data against `model`; DataError listing every problem."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(path, validation_problems(exc)) from exc


def load_yaml_model(model: type[M], path: Path, display: str | None = None) -> M:
    """Read and validate one YAML data file."""
    return validate(model, read_yaml(path, display), display or path)
