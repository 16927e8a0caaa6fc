"""Protocol figures: packet encapsulation (with and without NAT-T) and the IKEv1 / IKEv2 exchanges.

Sources for what is drawn: ESP tunnel mode (RFC 4303), NAT-T UDP 4500 (RFC 3948), IKEv1 main and quick
mode (RFC 2409; AWS accepts main mode only), IKEv2 IKE_SA_INIT / IKE_AUTH / CREATE_CHILD_SA /
INFORMATIONAL (RFC 7296). Port and protocol numbers come from lab/data/facts.yaml.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lab.facts import value
from lab.figures._draw import (
    NEUTRAL,
    TRUSTED,
    TUNNEL,
    UNTRUSTED,
    WARN,
    arrow,
    canvas,
    finish,
    segment,
    shape,
    text,
)


def packet_encapsulation() -> go.Figure:
    """The original packet, the same packet in ESP tunnel mode, and with NAT-T's extra UDP header."""
    esp, natt = value("esp_ip_protocol"), value("natt_udp_port")
    fig = canvas("How IPsec wraps a packet:<br>original, ESP tunnel mode, and ESP with NAT-T", height=500, y_max=7.4)
    rows = [
        (6.2, "1. Original<br>packet"),
        (4.0, "2. ESP<br>tunnel mode<br>(no NAT)"),
        (1.8, "3. ESP with<br>NAT-T<br>(NAT in path)"),
    ]
    for y, label in rows:
        text(fig, 0.05, y, label, anchor="left", size=13)
    # 1. the packet the host sent
    segment(fig, 2.0, 4.9, 6.2, "IP header<br>10.1.5.20 → 10.0.8.15", NEUTRAL)
    segment(fig, 4.9, 6.0, 6.2, "TCP<br>443", NEUTRAL)
    segment(fig, 6.0, 7.8, 6.2, "data", NEUTRAL)
    # 2. ESP tunnel mode: new outer header, the whole original packet encrypted
    segment(fig, 2.0, 3.9, 4.0, f"outer IP<br>protocol {esp}", TRUSTED)
    segment(fig, 3.9, 4.8, 4.0, "ESP<br>header", TUNNEL, fill=0.12)
    segment(fig, 4.8, 8.2, 4.0, "encrypted:<br>original packet", TUNNEL, fill=0.45)
    segment(fig, 8.2, 9.0, 4.0, "ESP<br>trailer", TUNNEL, fill=0.45)
    segment(fig, 9.0, 9.9, 4.0, "ESP<br>auth", TUNNEL, fill=0.12)
    # 3. NAT-T: a UDP header so that a NAT has ports to translate
    segment(fig, 2.0, 3.6, 1.8, "outer IP<br>proto 17 (UDP)", TRUSTED)
    segment(fig, 3.6, 4.5, 1.8, f"UDP<br>{natt}", WARN)
    segment(fig, 4.5, 5.3, 1.8, "ESP<br>header", TUNNEL, fill=0.12)
    segment(fig, 5.3, 8.4, 1.8, "encrypted:<br>original packet", TUNNEL, fill=0.45)
    segment(fig, 8.4, 9.1, 1.8, "ESP<br>trailer", TUNNEL, fill=0.45)
    segment(fig, 9.1, 9.9, 1.8, "ESP<br>auth", TUNNEL, fill=0.12)
    text(fig, 2.95, 3.25, "198.51.100.10 →<br>203.0.113.10", color=TRUSTED, size=11)
    text(fig, 6.5, 3.25, "dark blue = encrypted; only the<br>outer headers are readable", color=TUNNEL, size=11)
    text(fig, 4.05, 1.1, "added by<br>NAT-T", color=WARN, size=11)
    text(fig, 6.85, 1.1, "the same ESP packet,<br>one header deeper", color=TUNNEL, size=11)
    text(fig, 5.9, 0.3, f"Firewall: allow IKE UDP {value('ike_udp_port')}, ESP IP protocol {esp}<br>"
                        f"and UDP {natt} (NAT-T), both ways, for each tunnel address.",
         color=UNTRUSTED, size=11)
    return finish(fig)


def _lifelines(fig: go.Figure, xa: float, xb: float, top: float, bottom: float, a: str, b: str) -> None:
    for x, name in ((xa, a), (xb, b)):
        shape(fig, type="line", x0=x, x1=x, y0=bottom, y1=top, line={"color": NEUTRAL, "width": 2, "dash": "dot"})
        text(fig, x, top + 0.3, f"<b>{name}</b>", size=13)


def ike_exchanges() -> go.Figure:
    """IKEv1 main mode + quick mode next to IKEv2's IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL."""
    fig = canvas("IKEv1 (main mode, then quick mode)<br>vs IKEv2 (IKE_SA and CHILD_SA)", height=640, y_max=11)
    # IKEv1 on the left
    text(fig, 2.5, 10.6, "<b>IKEv1</b> (AWS: main mode only)", color=TUNNEL, size=13)
    _lifelines(fig, 0.9, 4.1, 9.8, 0.4, "Initiator", "Responder")
    v1 = [
        ("1-2: algorithms", "Phase 1, main mode"),
        ("3-4: DH values + nonces", "Phase 1, main mode"),
        ("5-6: identities + proof", "Phase 1, main mode"),
        ("7-9: IPsec SAs + keys", "Phase 2, quick mode"),
    ]
    y = 9.3
    for label, _phase in v1[:3]:
        arrow(fig, 0.9, y, 4.1, y - 0.35, label, TUNNEL)
        arrow(fig, 4.1, y - 0.75, 0.9, y - 1.1, "", TUNNEL)
        y -= 1.55
    quick = 4.35
    arrow(fig, 0.9, quick, 4.1, quick - 0.35, v1[3][0], TRUSTED)
    arrow(fig, 4.1, quick - 0.75, 0.9, quick - 1.1, "", TRUSTED)
    arrow(fig, 0.9, quick - 1.45, 4.1, quick - 1.8, "", TRUSTED)
    shape(fig, type="rect", x0=0.3, x1=4.7, y0=4.85, y1=9.55, line={"color": TUNNEL, "dash": "dash"})
    text(fig, 2.5, 5.05, "phase 1 → IKE (ISAKMP) SA", color=TUNNEL, size=11, bg=True)
    shape(fig, type="rect", x0=0.3, x1=4.7, y0=2.05, y1=4.75, line={"color": TRUSTED, "dash": "dash"})
    text(fig, 2.5, 2.25, "quick mode → IPsec SA pair", color=TRUSTED, size=11, bg=True)
    text(fig, 2.5, 1.1, "Aggressive mode (3 messages,<br>identities in the clear):<br>AWS rejects it.", color=UNTRUSTED,
         size=11)
    # IKEv2 on the right
    text(fig, 7.5, 10.6, "<b>IKEv2</b> (RFC 7296)", color=TUNNEL, size=13)
    _lifelines(fig, 5.9, 9.1, 9.8, 0.4, "Initiator", "Responder")
    steps = [
        (9.3, "IKE_SA_INIT: crypto, DH", TUNNEL),
        (7.8, "IKE_AUTH: IDs + CHILD_SA", TRUSTED),
        (5.6, "CREATE_CHILD_SA: rekey", TRUSTED),
        (3.7, "INFORMATIONAL: delete, DPD", WARN),
    ]
    for y0, label, color in steps:
        arrow(fig, 5.9, y0, 9.1, y0 - 0.35, label, color)
        arrow(fig, 9.1, y0 - 0.75, 5.9, y0 - 1.1, "", color)
    text(fig, 7.5, 6.45, "4 messages → IKE_SA (parent)<br>+ first CHILD_SA (ESP pair)", color=TRUSTED, size=11,
         bg=True)
    text(fig, 7.5, 1.3, "A CHILD_SA never outlives its IKE_SA:<br>delete the IKE_SA and<br>every CHILD_SA goes too.",
         color=UNTRUSTED, size=11)
    return finish(fig)
