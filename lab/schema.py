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


def _bound_numbers(loader: type) -> None:
    """Numbers go through `_number` (their length is checked before they are built)."""
    loader.add_constructor(  # type: ignore[attr-defined]
        "tag:yaml.org,2002:int", lambda ld, node: ld._number(node, yaml.SafeLoader.construct_yaml_int)
    )
    loader.add_constructor(  # type: ignore[attr-defined]
        "tag:yaml.org,2002:float", lambda ld, node: ld._number(node, yaml.SafeLoader.construct_yaml_float)
    )


_bound_numbers(_BoundedLoader)


# libyaml's parser, when PyYAML has it (its wheels do): about ten times faster than the pure-Python one, which
# matters because every process of the app and the CLI reads every data file at start. Its composer runs in C,
# so the limits are checked first on its event stream (aliases, nesting, values), then the same text is loaded.
_CLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CBoundedLoader(yaml.CSafeLoader):  # type: ignore[name-defined, misc]
        """CSafeLoader with the bounded loader's number check (its constructors are Python)."""

        def _number(self, node: yaml.ScalarNode, construct: Any) -> Any:
            return _BoundedLoader._number(self, node, construct)  # type: ignore[arg-type]

    _bound_numbers(_CBoundedLoader)
    _CLoader = _CBoundedLoader


def _check_events(text: str) -> None:
    """The bounded loader's limits, on libyaml's events: no aliases, nesting and values bounded."""
    events = yaml.CSafeLoader(text)  # type: ignore[attr-defined]
    depth = nodes = 0
    try:
        while events.check_event():
            event = events.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise _Refused(f"YAML aliases (*{event.anchor}) are not allowed in VPN Lab's data files", event.start_mark)
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise _Refused(f"more than {MAX_NODES:,} values", event.start_mark)
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth >= MAX_DEPTH:
                        raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        events.dispose()


def _load(text: str) -> Any:
    if _CLoader is not None:
        _check_events(text)
    loader = (_CLoader or _BoundedLoader)(text)  # either reader refuses control characters here
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


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
    try:
        return _load(text)
    except yaml.YAMLError as exc:
        raise DataError(where, [f"{what} is not valid YAML: {_one_line(exc)}"]) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        raise DataError(where, [f"{what} is not valid YAML: {type(exc).__name__}: {str(exc)[:200]}"]) from None


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
