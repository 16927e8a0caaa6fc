"""The failure-script editor shared by the Scenario lab and the Monitor's simulation source: pick a failure
from the simulator's catalogue, a target the design has, a start and a duration; add it; remove it.

A script is a list of plain dicts in session state ({"kind", "target", "at", "dur"}), so it survives reruns and
errors: the simulator validates it when it runs (`lab.sim.failures.resolve_failures`) and the page shows the
message next to the script, which stays as the user entered it.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lab.errors import LabError
from lab.i18n import render
from lab.sim import FAILURE_KINDS, Failure, ScenarioSpec, parse_failure, valid_targets
from lab.sim.failures import failure_sentence
from lab.ui.echo import plain
from lab.ui.lang import _, current, d

KINDS = {k.id: k for k in FAILURE_KINDS}

Entry = dict  # {"kind": str, "target": str, "at": int, "dur": int | None}


def script(state_key: str) -> list[Entry]:
    """The script kept under `state_key` (created empty)."""
    return st.session_state.setdefault(state_key, [])


def as_tuple(entries: Sequence[Entry]) -> tuple[tuple[str, str, int, int | None], ...]:
    """The script as a hashable key for the simulation caches."""
    return tuple((f["kind"], f["target"], f["at"], f["dur"]) for f in entries)


def as_failures(entries: Sequence[Entry]) -> list[Failure]:
    return [Failure(f["kind"], f["target"], f["at"], f["dur"]) for f in entries]


def target_label(spec: ScenarioSpec, target: str) -> str:
    """A target with what it is: "cgw-a (Customer gateway A)", "tunnel-1 (vpn-…, us-east-1a)"."""
    if target == "all":
        return _("all traffic")
    if target.startswith("cgw-"):
        return f"{target} ({d('scenario.gateway', spec.cgw(target).name)})"
    row = next((r for r in spec.tunnel_rows() if r[0] == target), None)
    return f"{target} ({row[3].key}, {row[2].az})" if row else target


def drop_stale(spec: ScenarioSpec, state_key: str) -> None:
    """A script built for another design may name parts this one does not have: drop those and say so."""
    entries = script(state_key)
    stale = [f for f in entries if f["target"] not in valid_targets(spec, f["kind"])]
    if stale:
        st.session_state[state_key] = [f for f in entries if f not in stale]
        st.warning(
            _("Removed from the failure script because this scenario has no such part: {parts}",
              parts=", ".join(_("{kind} on {target} at {at} s", kind=f["kind"], target=f["target"], at=f["at"])
                              for f in stale))
        )


def from_link(spec: ScenarioSpec, texts: Sequence[str]) -> list[Entry]:
    """The failures a link names (`fail=cgw-down:cgw-a@60+240`, repeated); each unreadable one is named in a
    warning and skipped, the others kept."""
    out: list[Entry] = []
    for text in texts:
        try:
            f = parse_failure(text.replace(" ", "+"))  # an unescaped + in a link arrives as a space
        except LabError as err:
            st.warning(_("Link ignored a failure: {error}", error=plain(render(err, current()))))
            continue
        out.append({"kind": f.kind, "target": f.target or valid_targets(spec, f.kind)[0], "at": f.at_s,
                    "dur": f.duration_s})
    return out


def editor(spec: ScenarioSpec, state_key: str, prefix: str, empty_text: str) -> list[Entry]:
    """The form (failure, target, at, lasts, Add) and the numbered script with a Remove button per line.

    Widget keys are `{prefix}_new_kind`, `{prefix}_new_target`, `{prefix}_new_at`, `{prefix}_new_dur`,
    `{prefix}_add` and `{prefix}_rm_{n}`.
    """
    # The target column is wide enough for "cgw-a (Customer gateway A)" and "tunnel-1 (vpn-…, us-east-1a)".
    b1, b2, b3, b4, b5 = st.columns([2, 2.2, 0.9, 1.1, 0.9], vertical_alignment="bottom")
    with b1:
        kind = st.selectbox(_("Failure"), list(KINDS), key=f"{prefix}_new_kind",
                            format_func=lambda k: d("failure.title", KINDS[k].title),
                            help=_("What breaks. See the descriptions under the script."))
    targets = valid_targets(spec, kind)
    with b2:
        target = st.selectbox(_("Target"), targets or [_("(none in this design)")], key=f"{prefix}_new_target",
                              disabled=not targets, format_func=lambda t: target_label(spec, t),
                              help=_("Customer gateway, tunnel, or all traffic."))
    with b3:
        at = st.number_input(_("At (s)"), min_value=0, value=60, step=5, key=f"{prefix}_new_at")
    instant = KINDS[kind].instant
    with b4:
        dur = st.number_input(_("Lasts (s, 0 = to end)"), min_value=0, value=0, step=10, key=f"{prefix}_new_dur",
                              disabled=instant,
                              help=_("This failure happens at one moment: it has no duration.") if instant else
                              _("A device or link comes back after this; a mismatch is fixed after this."))
    entries = script(state_key)
    with b5:
        if st.button(_("Add failure"), key=f"{prefix}_add", disabled=not targets, width="stretch"):
            entries.append({"kind": kind, "target": target, "at": int(at), "dur": None if instant else int(dur) or None})
    st.caption(d("failure.description", KINDS[kind].description))

    if not entries:
        st.info(empty_text)
    for i, f in enumerate(list(entries)):
        c1, c2 = st.columns([6, 1], vertical_alignment="center")
        c1.markdown(f"{i + 1}. " + plain(render(failure_sentence(as_failures([f])[0], spec), current())))
        if c2.button(_("Remove"), key=f"{prefix}_rm_{i}"):
            entries.pop(i)
            st.rerun()
    return entries
