"""Side-by-side comparison: the same failure script and options on several scenarios (S1-S4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lab.i18n import N_
from lab.sim.failures import Failure, valid_targets
from lab.sim.options import Overrides, applicable
from lab.sim.result import simulate
from lab.sim.scenarios import load_scenario

COMPARED = ("s1", "s2", "s3", "s4")


@dataclass(frozen=True)
class Row:
    scenario: str
    title: str
    to_onprem_s: int | None
    to_aws_s: int | None
    detect_s: int | None
    recover_s: int | None
    manual: bool | None
    verdict: str
    note: str  # failures left out because the scenario has no such target
    verdict_template: str = ""
    verdict_values: dict[str, object] = field(default_factory=dict)

    def verdict_text(self, lang: str | None = None) -> str:
        """The verdict in `lang` (default: the current language)."""
        from lab.i18n import t

        return t(self.verdict_template, lang, **self.verdict_values) if self.verdict_template else self.verdict


def compare(failures: Sequence[Failure], overrides: Overrides | None = None, duration_s: int = 600,
            seed: int = 0, scenarios: Sequence[str] = COMPARED) -> list[Row]:
    """Run every scenario with the failures that apply to it; say which ones did not."""
    rows = []
    for sid in scenarios:
        spec = load_scenario(sid)
        kept, dropped = [], []
        for f in failures:
            targets = valid_targets(spec, f.kind)
            if targets and (not f.target or f.target in targets):
                kept.append(f)
            else:
                dropped.append(f"{f.kind}:{f.target or '-'}")
        note = f"{sid.upper()} has no target for {', '.join(dropped)}" if dropped else ""
        if failures and not kept:
            rows.append(Row(sid, spec.title, None, None, None, None, None, "Not applicable.", note,
                            N_("Not applicable.")))
            continue
        ov = applicable(spec, overrides or Overrides())
        out = simulate(sid, kept, duration_s=duration_s, overrides=ov, seed=seed).outcome
        rows.append(Row(sid, spec.title, out.outage_s["to_onprem"], out.outage_s["to_aws"], out.detect_s,
                        out.recover_s, out.manual_action_required, out.verdict, note, out.verdict_template,
                        out.verdict_values))
    return rows
