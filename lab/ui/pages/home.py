"""Home: what VPN Lab is, the three ways to use it, and a link to every section that exists."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lab.i18n import N_
from lab.ui.lang import _
from lab.ui.registry import pages_in

LAB_DIR = Path(__file__).resolve().parents[2]

WAYS = {
    "Learn": (
        N_("For new engineers"),
        N_("Read short lessons on VPNs, IPsec and AWS Site-to-Site VPN, answer the quizzes, and look "
           "up terms in the glossary. Every AWS default the lessons state comes with its official source."),
    ),
    "Practise": (
        N_("For trainees and facilitators"),
        N_("Break a high-availability design on purpose, watch what fails second by second, and replay "
           "recorded incidents. No AWS account needed."),
    ),
    "Triage": (
        N_("For the engineer on call"),
        N_("Walk the troubleshooting tree, paste tunnel logs for an automatic diagnosis, look at your "
           "own tunnels live, and export an incident report."),
    ),
}

st.title(_("VPN Lab"))
st.markdown(
    _("An interactive learning lab and troubleshooting guide for **site-to-site VPNs**, with AWS "
      "Site-to-Site VPN as the running example: learn how tunnels, IKE, DPD and routing work, practise "
      "failures safely, and find the cause when a real tunnel is down.")
)

monitor = next((p for p in pages_in("Triage") if p.url_path == "monitor"), None)
# Only the ways that have working pages are shown.
available = {section: way for section, way in WAYS.items() if pages_in(section)}
columns = st.columns(len(available))
for column, (section, (audience, text)) in zip(columns, available.items(), strict=True):
    with column, st.container(border=True):
        st.subheader(_(section))
        st.caption(_(audience))
        st.write(_(text))
        for spec in pages_in(section):
            st.page_link(str(LAB_DIR / spec.script), label=_(spec.title), icon=spec.icon)
            st.caption(_(spec.summary))
        if section == "Practise" and monitor is not None:
            # Replays live in the Monitor (the same views as live AWS); trainees start them from here.
            st.page_link(
                str(LAB_DIR / monitor.script),
                label=_("Incident replays"),
                icon=":material/replay:",
                query_params={"replay": "dpd-idle-tunnel"},
            )
            st.caption(_("Recorded incidents (DPD drops, a deleted IKE SA, endpoint replacement, ...) played back "
                         "in the Monitor."))
