"""The container image installs the dependency versions the suite passed with (constraints.txt), not the newest."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from lab import PROJECT_DIR


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (PROJECT_DIR / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"constraints.txt: not an exact pin: {line}"
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_every_runtime_dependency_is_pinned_to_a_version_it_allows() -> None:
    pins = _pins()
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    for spec in project["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} has no pin in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), f"{req.name}=={pins[name]} is not {req.specifier}"
        for extra in req.extras:  # psycopg[binary] installs psycopg-binary: pinned too
            assert canonicalize_name(f"{req.name}-{extra}") in pins, f"{req.name}[{extra}] has no pin"


def test_the_dockerfile_installs_with_the_constraints() -> None:
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text()
    copied = re.search(r"^COPY (.*) \./$", dockerfile, re.M)
    assert copied and "constraints.txt" in copied.group(1).split()
    assert re.search(r"^RUN pip install -c constraints\.txt -e \.", dockerfile, re.M)
