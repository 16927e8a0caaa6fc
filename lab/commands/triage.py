"""`vpn-lab triage`: walk the troubleshooting tree from a terminal or a chat-ops bot.

    vpn-lab triage [--log FILE ...] [--replay SLUG | --vpn-id ID [--profile P --region R]]
                   [--answer NODE=ANSWER ...] [--tunnel TUNNEL] [--device FAMILY] [--tree TREE] [--json]
    vpn-lab triage --matrix [--json]

Prints the current question (its choices, "not sure" included) or the diagnosis, the path with each
answer marked `person` or `evidence` (with its source: connection, tunnel, line or field), the
diagnoses still possible, and the fix with the values filled in. ANSWER is a choice number, the exact
label, or `not-sure`; at a shortlist, `--answer diagnosis=<node>` picks one. TUNNEL is an outside IP,
`<vpn id>/<ip>`, or the simulator's name (`tunnel-1`, `tunnel-2`, ... in connection order). `--json` prints
{"tree", "node", "is_diagnosis", "diagnosis": {id, title, fix, commands} | null,
 "path": [{node, answer, by, source}], "candidates": [{id, title}], "question": {text, choices} | null}
(plus "scope" and "link", the Troubleshooter page's `?tree=…&node=…&answers=…` for the same position).
Exit 0 at a diagnosis, 3 while a question is open, 2 on an error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from lab.errors import InputError
from lab.i18n import M, t
from lab.masking import mask_data, mask_secrets
from lab.triage import case, tree
from lab.triage.fixes import families

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_LOG_BYTES = 20 * 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "triage",
        help=t("walk the troubleshooting tree with evidence from logs, a replay or live AWS"),
        description=t("Answer the troubleshooter's questions from the evidence (logs, a replay, live AWS) and "
        "your --answer values; print the open question or the diagnosis with its fix. Exit 0 at a "
        "diagnosis, 3 while a question is open, 2 on an error."),
    )
    p.add_argument("--log", action="append", default=[], metavar="FILE", help=t("a log file to use as evidence (repeatable)"))
    src = p.add_mutually_exclusive_group()
    src.add_argument("--replay", metavar="SLUG", help=t("a bundled incident replay (see `vpn-lab replays`)"))
    src.add_argument("--vpn-id", metavar="ID", help=t("a live VPN connection (read-only, standard credential chain)"))
    p.add_argument("--profile", help=t("AWS profile (with --vpn-id)"))
    p.add_argument("--region", help=t("AWS region (with --vpn-id)"))
    p.add_argument("--answer", action="append", default=[], metavar="NODE=ANSWER",
                   help=t("your answer to a question: a choice number, the label, or not-sure (repeatable)"))
    p.add_argument("--tunnel", default="", metavar="TUNNEL",
                   help=t("the tunnel to triage: its outside IP, or its name in the scenario lab and the replays "
                   "(tunnel-1, tunnel-2, ...); default: the most troubled one"))
    p.add_argument("--device", default="", metavar="FAMILY",
                   help=t("customer gateway family for the fix's commands (cisco-asa, cisco-ios, juniper-srx, fortigate, "
                   "paloalto, strongswan, libreswan, pfsense, vyos, opnsense, mikrotik, azure)"))
    p.add_argument("--tree", default=case.DEFAULT_TREE, help=t("the tree to start in (default: tunnel-down)"))
    p.add_argument("--matrix", action="store_true",
                   help=t("print the consistency matrix (scenario x failure and every replay -> diagnosis or 'asks')"))
    p.add_argument("--json", action="store_true", help=t("print JSON"))
    p.set_defaults(func=_triage)


def _answers(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        node, sep, value = item.partition("=")
        if not sep or not node.strip() or not value.strip():
            raise InputError(M("Cannot read --answer '{item}': write NODE=ANSWER, e.g. --answer scope=1 or --answer "
                               "scope=not-sure.", item=item))
        key = node.strip()
        if key != tree.SHORTLIST:
            ref = key if "/" in key else None
            if ref:
                tree.resolve(ref)  # NotFoundError with the choices when the node does not exist
            elif not any(key in t.nodes for t in tree.load_trees().values()):
                raise InputError(M("--answer '{item}': no tree has a node '{key}'.", item=item, key=key))
        out[key] = value.strip()
    return out


def _read_logs(paths: list[str]) -> str:
    parts = []
    for name in paths:
        path = Path(name)
        try:
            size = path.stat().st_size
            if size > MAX_LOG_BYTES:
                raise InputError(M("{name} is {size:.1f} MB; the limit is {limit} MB.", name=name, size=size / 1e6,
                                   limit=MAX_LOG_BYTES // (1024 * 1024)))
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(M("Cannot read {path}: {error}.", path=name, error=exc.strerror or exc)) from None
        if b"\x00" in data[:8192]:
            raise InputError(M("{name} looks binary, not a text log.", name=name))
        try:
            parts.append(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InputError(M("{name} is not UTF-8 text. Convert it, for example with `iconv -f latin1 -t utf-8`.",
                               name=name)) from None
    return "\n".join(parts)


def _snapshot(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if args.replay:
        if args.profile or args.region:
            raise InputError(M("--replay reads a bundled incident: do not combine it with --profile or --region."))
        from lab import replay

        return replay.incident(args.replay).snapshot
    if args.vpn_id:
        from lab import aws  # only a live run needs boto3

        session = aws.Aws(args.profile, args.region)
        conns = aws.list_connections(session, (args.vpn_id,))
        result = aws.fetch_details(session, conns, label=f"Live AWS {args.vpn_id}")
        for note in result.notes:
            print(f"vpn-lab: note: {note}", file=sys.stderr)
        return result.snapshot
    if args.profile or args.region:
        raise InputError(M("--profile and --region go with --vpn-id."))
    return None


def _plain(text: str) -> str:
    return _CONTROL.sub("?", mask_secrets(text))


def _triage(args: argparse.Namespace) -> int:
    if args.matrix:
        from lab.triage import matrix

        rows = matrix.run_matrix()
        if args.json:
            print(json.dumps([r.to_json() for r in rows], indent=2))
        else:
            print(matrix.render(rows))
        return 2 if any(r.wrong for r in rows) else 0
    if args.device and args.device not in families():
        raise InputError(M("Unknown --device '{device}'. Choose one of: {choices}.", device=args.device,
                           choices=", ".join(families())))
    answers = _answers(args.answer)
    snapshot = _snapshot(args)
    log_text = _read_logs(args.log)
    if args.log and not log_text.strip():
        raise InputError(M("The log files are empty."))
    if args.tunnel and snapshot is None and not log_text.strip():
        raise InputError(M("--tunnel {tunnel}: there is no evidence to pick a tunnel from. Add --replay SLUG, --vpn-id ID "
                           "or --log FILE.", tunnel=args.tunnel))
    result = case.run(tree_id=args.tree, answers=answers, snapshot=snapshot, log_text=log_text,
                      tunnel=args.tunnel, family=args.device)
    data = case.result_json(result)
    if args.json:
        print(json.dumps(mask_data(data), indent=2))
        return result.exit_code
    _print(data, result)
    return result.exit_code


def _print(data: dict, result: case.Result) -> None:  # type: ignore[type-arg]
    """The human-readable answer, in the language of --lang (commands stay as the vendor writes them)."""
    from lab.i18n import data_text as dt
    from lab.i18n import t

    out: list[str] = []
    if data["scope"]:
        out.append(t("Evidence from: {scope} (other tunnels' facts are not used)", scope=data["scope"]))
    if result.scope and result.scope.notes:
        out += [t("Note: {note}", note=n) for n in result.scope.notes]
    out.append("")
    out.append(t("Path:"))
    if not data["path"]:
        out.append("  " + t("(no question answered yet)"))
    by = {"person": t("person"), "evidence": t("evidence")}
    for i, (step, (n, s)) in enumerate(zip(data["path"], [p for p in tree.path(result.session) if p[1].answer is not None],
                                          strict=False), 1):
        src = f" - {step['source']}" if step["source"] else ""
        label = _answer_label(n, s, step["answer"])
        out.append(f"  {i}. {step['node']}: {label}  [{by.get(step['by'], step['by'])}{src}]")
    out.append("")
    if data["is_diagnosis"]:
        d = data["diagnosis"]
        node = tree.resolve(d["id"])
        out += [t("Diagnosis: {title}  ({id})", title=dt("tree.title", node.title), id=d["id"]), "",
                t("Cause: {text}", text=dt("tree.cause", node.cause)), "", t("Fix: {text}", text=dt("tree.fix", node.fix))]
        if result.fix and result.fix.lines:
            out += ["", t("With the values from the evidence:")] + [f"  - {line}" for line in result.fix.lines]
        if result.fix and result.fix.device:
            out += ["", t("On the customer gateway: {text}", text=result.fix.device)]
        if d["commands"] and result.family_from_log and result.fix:
            out += ["", t("Commands for {family}, the device that wrote the log (--device FAMILY for another).",
                          family=families()[result.fix.family])]
        if d["commands"]:
            for c in d["commands"]:
                out += ["", f"{c['title']} ({families()[c['family']]}):"]
                if c["command"]:
                    source = (t("Source: {url}", url=c["source"]) if c.get("verified") else
                              t("Source: {url} (the command was not checked against this page)", url=c["source"]))
                    out += [f"    {line}" for line in c["command"].splitlines()] + ["  " + source]
                else:
                    out += ["    " + t("No command on {family}: {note}", family=families()[c["family"]], note=c["note"]),
                            "  " + t("Where it is documented: {url}", url=c["source"])]
        elif not result.fix or not result.fix.family:
            out += ["", t("Add --device FAMILY for the commands ({families}).", families=", ".join(families()))]
    else:
        q = data["question"]
        node = result.session.current
        text = dt("tree.text", q["text"]) if not result.session.is_shortlist else t(q["text"])
        out.append(t("Question ({node}): {text}", node=q["node"], text=text))
        for c in q["choices"]:
            label = c["label"]
            if c["answer"] == "not-sure":
                label = t(tree.NOT_SURE_LABEL)
            elif result.session.is_shortlist:
                label = dt("tree.title", label)
            else:
                label = dt("tree.answer", label)
            out.append(f"  {c['answer']:>9}  {label}")
        out.append(t("Answer with: --answer {node}=<choice>", node=q["node"]))
        del node
        if data["candidates"]:
            out += ["", t("Diagnoses still possible (most likely first):")]
            for cand in tree.candidates(result.session, result.evidence):
                via = "  - " + t("if: {via}", via=_via(cand.via)) if cand.via else ""
                out.append(f"  - {dt('tree.title', cand.title)} ({cand.ref}){via}")
    out += ["", t("Troubleshooter page: {link}", link=data["link"])]
    print(_plain("\n".join(out)))


def _answer_label(node: tree.Node, step: tree.Step, english: str) -> str:
    from lab.i18n import data_text as dt
    from lab.i18n import t

    if step.answer == tree.NOT_SURE:
        return t(tree.NOT_SURE_LABEL)
    if step.answer == tree.JUMP:
        return t("Skipped: the logs point to '{title}'", title=dt("tree.title", tree.jump_title(step)))
    if node.is_diagnosis or tree.resolve(step.ref).is_diagnosis:
        return dt("tree.title", english)
    return dt("tree.answer", english)


def _via(via: str) -> str:
    from lab.i18n import data_text as dt

    title, sep, answer = via.partition(" → ")
    return f"{dt('tree.title', title)} → {dt('tree.answer', answer)}" if sep else via
