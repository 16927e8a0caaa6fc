"""Shared helpers for data files: read YAML and validate it against a pydantic model.

Every loader (facts, lessons, trees, patterns, scenarios, incidents) reports problems the same
way: a DataError naming the file and every problem at once, unknown keys called "unknown key".

YAML is parsed by `parse_yaml`, which is safe on hostile files: no aliases (`*name`, the "billion
laughs" expansion), at most `MAX_DEPTH` levels of nesting, `MAX_NODES` values and `MAX_YAML_BYTES`
of text, and numbers of at most `MAX_NUMBER_CHARS` characters; anything else is a DataError with
the line and column, never a traceback or a memory blow-up.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lab.errors import DataError

M = TypeVar("M", bound=BaseModel)

MAX_YAML_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_NUMBER_CHARS = 64


class _Refused(yaml.YAMLError):
    """A hostile construct, reported with where it starts."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        super().__init__(where + problem)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader without aliases, with bounded nesting, node count and number length."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(f"YAML aliases (*{event.anchor}) are not allowed in VPN Lab's data files", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES:,} values", self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _number(self, node: yaml.ScalarNode, construct: Any) -> Any:
        if len(str(node.value)) > MAX_NUMBER_CHARS:
            raise _Refused(f"a number longer than {MAX_NUMBER_CHARS} characters", node.start_mark)
        return construct(self, node)


_BoundedLoader.add_constructor(
    "tag:yaml.org,2002:int", lambda loader, node: loader._number(node, yaml.SafeLoader.construct_yaml_int)
)
_BoundedLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: loader._number(node, yaml.SafeLoader.construct_yaml_float)
)


_OPENERS = re.compile(r"[\[{](?:[ \t\r\n]*[\[{]){" + str(MAX_DEPTH) + "}")


def _one_line(exc: yaml.YAMLError) -> str:
    return " ".join(str(exc).split())


def parse_yaml(text: str, where: Path | str, what: str = "the file") -> Any:
    """Parse YAML text from a data file; DataError `where: problem` on anything invalid or hostile."""
    if len(text) > MAX_YAML_BYTES:
        raise DataError(where, [f"{what} is {len(text):,} characters; the limit is {MAX_YAML_BYTES:,}"])
    # A long run of opening brackets makes PyYAML's scanner look far ahead before the composer's depth
    # check runs; refuse it up front (cheap, linear).
    deep = _OPENERS.search(text)
    if deep:
        line = text.count("\n", 0, deep.start()) + 1
        raise DataError(where, [f"{what} is not valid YAML: line {line}: nested more than {MAX_DEPTH} levels deep"])
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # the reader already refuses control characters here
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise DataError(where, [f"{what} is not valid YAML: {_one_line(exc)}"]) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        raise DataError(where, [f"{what} is not valid YAML: {type(exc).__name__}: {str(exc)[:200]}"]) from None
    finally:
        if loader is not None:
            loader.dispose()


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
    where = display or path
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise DataError(where, [f"the file is {path.stat().st_size:,} bytes; the limit is {MAX_YAML_BYTES:,}"])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(where, [f"cannot read as YAML: {exc}"]) from exc
    return parse_yaml(text, where)


def validate(model: type[M], raw: Any, path: Path | str) -> M:
    """Validate parsed data against `model`; DataError listing every problem."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(path, validation_problems(exc)) from exc


def load_yaml_model(model: type[M], path: Path, display: str | None = None) -> M:
    """Read and validate one YAML data file."""
    return validate(model, read_yaml(path, display), display or path)
