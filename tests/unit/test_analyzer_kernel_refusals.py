"""The kernel's refusal of an IPsec SA the two sides agreed on (category kernel_sa_install). Each paste is quoted from
the public thread named beside it; the lines added to a paste to vary it are written in the format the daemon's
source prints, with documentation addresses."""

from __future__ import annotations

from lab.analyzer import analyze_text
from lab.i18n import render


def primary_of(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


# openwrt/packages#14360: OpenWrt's strongSwan without the crypto module the SA needs ("try opkg install
# kmod-crypto-gcm"). Read as a rekey problem before.
OPENWRT_ENOENT = """\
Tue Dec 27 12:48:55 2020 daemon.info : 05[CFG] selected proposal: ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ
Tue Dec 27 12:48:55 2020 daemon.info : 05[KNL] received netlink error: No such file or directory (2)
Tue Dec 27 12:48:55 2020 daemon.info : 05[KNL] unable to add SAD entry with SPI c89d7b58 (FAILED)
Tue Dec 27 12:48:55 2020 daemon.info : 05[KNL] received netlink error: No such file or directory (2)
Tue Dec 27 12:48:55 2020 daemon.info : 05[KNL] unable to add SAD entry with SPI 0de293df (FAILED)
Tue Dec 27 12:48:55 2020 daemon.info : 05[IKE] unable to install inbound and outbound IPsec SA (SAD) in kernel
"""

# zhangke5959/strongswan#14: an SM4 proposal the kernel has no algorithm for; charon then answers the peer's Quick
# Mode with NO_PROPOSAL_CHOSEN. Read as a phase 2 proposal mismatch before.
SM4_ENOSYS = """\
[ENC] parsed QUICK_MODE response 3255607844 [ HASH SA No KE ID ID ]
[CFG] selected proposal: ESP:SM4_CBC_128/HMAC_SM3/CURVE_SM2/NO_EXT_SEQ
12[KNL] received netlink error: Function not implemented (38)
12[KNL] unable to add SAD entry with SPI ca0a6bc9 (FAILED)
12[KNL] received netlink error: Function not implemented (38)
12[KNL] unable to add SAD entry with SPI c063a638 (FAILED)
[KNL] received netlink error: Function not implemented (38)
12[IKE] unable to install inbound and outbound IPsec SA (SAD) in kernel
12[KNL] deleting policy 192.168.80.21/32 === 192.168.10.92/32 in failed, not found
12[KNL] deleting policy 192.168.80.21/32 === 192.168.10.92/32 fwd failed, not found
12[ENC] generating INFORMATIONAL_V1 request 775364196 [ HASH N(NO_PROP) ]
12[NET] sending packet: from 192.168.10.92[500] to 192.168.80.21[500] (92 bytes)
"""

# strongswan/strongswan#1020: the PF_KEY interface, its error on the same line.
PFKEY_ENOSYS = """\
selected proposal: ESP:AES_GCM_16_128/CURVE_25519/NO_EXT_SEQ
pfkey unable to add SAD entry with SPI c27dfe6f: Function not implemented (38)
pfkey unable to add SAD entry with SPI c26c4e5e: Function not implemented (38)
unable to install inbound and outbound IPsec SA (SAD) in kernel
"""

# libreswan/libreswan#1515: nic-offload=yes on a NIC that cannot offload. Read as no failure before.
PLUTO_OFFLOAD = """\
"ntz-dpt" #8: initiating IKEv2 connection to 192.168.44.1 using UDP
"ntz-dpt" #8: sent IKE_SA_INIT request to 192.168.44.1:500
"ntz-dpt" #8: sent IKE_AUTH request {cipher=AES_GCM_16_128 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
"ntz-dpt" #8: initiator established IKE SA; authenticated peer '4095-bit RSASSA-PSS with SHA2_512' digital signature using preloaded certificate '@dpt'
ERROR: "ntz-dpt" #9: netlink response for Add SA esp.4c04c7e6@192.168.44.17: Invalid argument (errno 22)
"ntz-dpt" #9: setup_half_ipsec_sa() hit fail:
"ntz-dpt" #9: CHILD SA encountered fatal error: INVALID_SYNTAX
"ntz-dpt" #8: encountered fatal error in state STATE_V2_ESTABLISHED_IKE_SA
"ntz-dpt" #9: deleting larval Child SA
"""

# libreswan/libreswan#529: pluto 3.x words it "included errno N: ..." (replay-window=0).
PLUTO_V3_REPLAY_WINDOW = """\
181 "westnet-eastnet-zero" #1: initiating IKEv2 connection
181 "westnet-eastnet-zero" #1: sent IKE_SA_INIT request
182 "westnet-eastnet-zero" #1: sent IKE_AUTH request {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
003 "westnet-eastnet-zero" #1: established IKE SA; authenticated using RSA with SHA2_512 and preloaded certificate '@east'
003 "westnet-eastnet-zero" #2: ERROR: netlink response for Add SA esp.c140461a@192.1.2.23 included errno 22: Invalid argument
"""


def test_charon_netlink_error_before_the_install_failure_is_the_kernels_refusal() -> None:
    a = analyze_text(OPENWRT_ENOENT)
    assert a.primary is not None and a.primary.category == "kernel_sa_install"
    assert a.primary.tree_node == "tunnel-down/d-kernel-sa-install"
    assert a.primary.facts["kernel_error"] == "No such file or directory (errno 2)"
    text = " ".join(render(r, "en") for r in a.primary.reasoning)
    assert "Line 6:" in text and "IPsec module" in text
    assert {f.line for f in a.primary.chain} == {2, 4, 6}  # the kernel's own error lines are its evidence
    assert a.primary.certainty == "firm" and a.categories == {"kernel_sa_install": 1}
    korean = " ".join(render(r, "ko") for r in a.primary.reasoning)
    assert "커널" in korean and "No such file or directory (errno 2)" in korean


def test_the_refusal_reads_the_same_newest_first() -> None:
    newest_first = "".join(reversed(OPENWRT_ENOENT.splitlines(keepends=True)))
    assert primary_of(newest_first) == "kernel_sa_install"


def test_what_this_side_sends_after_the_refusal_is_its_consequence() -> None:
    a = analyze_text(SM4_ENOSYS)
    assert a.primary is not None and a.primary.category == "kernel_sa_install"
    assert a.primary.facts["kernel_error"] == "Function not implemented (errno 38)"
    # the NO_PROPOSAL_CHOSEN charon sent because it could not install the SA is no phase 2 mismatch of its own
    assert not any(f.category == "phase2_proposal_mismatch" and f.decisive for f in a.findings)


def test_pf_key_names_the_error_on_its_own_line() -> None:
    assert primary_of(PFKEY_ENOSYS) == "kernel_sa_install"


def test_pluto_add_sa_refused_names_the_parameter_advice() -> None:
    for paste in (PLUTO_OFFLOAD, PLUTO_V3_REPLAY_WINDOW):
        a = analyze_text(paste)
        assert a.primary is not None and a.primary.category == "kernel_sa_install"
        assert a.primary.facts["kernel_error"] == "Invalid argument (errno 22)"
        assert "hardware offload" in " ".join(render(r, "en") for r in a.primary.reasoning)


def test_an_sa_that_already_exists_is_no_kernel_refusal() -> None:
    # libreswan/libreswan#2344 (its title): EEXIST is a conflict with an SA installed before, which comes with rekeys
    line = "ERROR: ... netlink response for Add SA esp.98e5e6ee@192.201.82.8: File exists (errno 17)\n"
    assert primary_of(line) != "kernel_sa_install"
    charon = OPENWRT_ENOENT.replace("No such file or directory (2)", "File exists (17)")
    assert primary_of(charon) != "kernel_sa_install"


def test_a_netlink_error_for_a_route_is_not_an_sa_refused() -> None:
    # charon's route install (kernel_netlink_ipsec.c "unable to install source route for %H") gets the same netlink
    # error line: the SA itself was installed
    paste = """\
Jan 12 09:14:03 gw charon: 11[KNL] received netlink error: File exists (17)
Jan 12 09:14:03 gw charon: 11[KNL] unable to install source route for 198.51.100.1
Jan 12 09:14:03 gw charon: 11[IKE] CHILD_SA aws-1{1} established with SPIs c1a2b3c4_i 0d1e2f3a_o and TS 10.0.0.0/16 === 172.31.0.0/16
"""
    assert primary_of(paste) is None


def test_a_child_sa_set_up_after_the_refusal_leaves_nothing_to_fix() -> None:
    fixed = OPENWRT_ENOENT + (
        "Tue Dec 27 12:58:02 2020 daemon.info : 09[IKE] CHILD_SA aws-1{2} established with SPIs c2a94d1e_i "
        "0f3e2b7c_o and TS 10.0.0.0/16 === 172.31.0.0/16\n")
    assert primary_of(fixed) is None


def test_a_mode_this_side_ignored_before_the_refusal_is_read_first() -> None:
    # the SA the kernel refused was not the one the peer asked for: the mode difference is what the engineer fixes
    paste = """\
Nov 30 15:34:19.053495: "gw" #2: proposal 1:ESP=AES_CBC_128-HMAC_SHA2_256_128-DISABLED SPI=5e19f96b chosen from remote proposals 1:ESP:ENCR=AES_CBC_128;INTEG=HMAC_SHA2_256_128;ESN=DISABLED[first-match]
Nov 30 15:34:19.053499: "gw" #2: policy dictates Tunnel Mode, ignoring peer's request for Transport Mode
Nov 30 15:34:19.053567: ERROR: "gw" #2: netlink response for Add SA esp.5e19f96b@192.0.2.1: Protocol not supported (errno 93)
"""
    a = analyze_text(paste)
    assert a.primary is not None and a.primary.category == "ipsec_mode_mismatch"
    assert any(f.category == "kernel_sa_install" for f in a.findings)


# strongSwan on Windows (kernel-wfp), strongswan/strongswan#2567: WFP refuses the SA, which it takes with the
# policy, so charon fails the policies (SPD). Read as a rekey problem before.
WFP_REFUSED = """\
[KNL] setting WFP SA SPI failed: 0x80320035
[IKE] unable to install IPsec policies (SPD) in kernel
[IKE] failed to establish CHILD_SA, keeping IKE_SA
"""


def test_windows_wfp_refusing_the_sa_is_the_kernels_refusal() -> None:
    a = analyze_text(WFP_REFUSED)
    assert a.primary is not None and a.primary.category == "kernel_sa_install"
    assert a.primary.facts["kernel_error"] == "WFP 0x80320035" and a.categories == {"kernel_sa_install": 1}
    assert "Windows Filtering Platform" in " ".join(render(r, "en") for r in a.primary.reasoning)


def test_a_policy_failure_without_the_kernels_sa_error_stays_as_it_was() -> None:
    # zhangke5959/strongswan#20: no kernel error about the SA above the policy failure
    paste = """\
 can't install route for 192.168.11.133/32 === 192.168.11.132/32 out, conflicts with IKE traffic
13[IKE] unable to install IPsec policies (SPD) in kernel
"""
    assert primary_of(paste) != "kernel_sa_install"


def test_the_troubleshooter_reads_the_refusal_as_the_peer_having_answered() -> None:
    from lab.triage.evidence.logs import from_analysis

    evidence = from_analysis(analyze_text(OPENWRT_ENOENT))
    assert evidence["log.category:kernel_sa_install"].value == "yes"
    assert evidence["log.primary_node"].value == "tunnel-down/d-kernel-sa-install"
    assert evidence["log.ike_activity"].value == "yes"  # the SA was agreed on with the peer before the kernel refused it


# libreswan's test suite at 0c4e3ecc (testing/pluto/impair-install-ipsec-sa-inbound-state-initiator-ikev2/
# west.console.txt, expected output of a real run): the initiator could not install its Child SA in the kernel and
# fails it with TEMPORARY_FAILURE, the code pluto gives a Child SA only then (ikev2_child.c,
# connection_establish_child). The test's IMPAIR line, which stands in for the kernel's error, is left out. Read as no
# failure before ("IKE SA established but ..." was taken for an SA coming up).
PLUTO_CHILD_TEMPORARY_FAILURE = """\
"west-east" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500; Child SA #2 {ESP <0xESPESP}
"west-east" #1: processing IKE_AUTH response from 192.1.2.23:UDP/500 containing SK{IDr,AUTH,SA,TSi,TSr} reassembled from N fragments
"west-east" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"west-east" #2: CHILD SA failed: TEMPORARY_FAILURE
"west-east" #1: IKE SA established but initiator rejected Child SA response
"west-east" #2: sent INFORMATIONAL request to delete larval Child SA using IKE SA #1
"west-east" #2: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds
"""


def test_pluto_failing_its_child_sa_with_temporary_failure_is_the_kernels_refusal() -> None:
    result = analyze_text(PLUTO_CHILD_TEMPORARY_FAILURE)
    assert result.primary is not None and result.primary.category == "kernel_sa_install"
    # The line names no kernel error: the reasoning says where to find it, and no error fact is made up.
    assert "dmesg" in " ".join(render(m) for m in result.primary.reasoning)
    assert "kernel_error" not in result.primary.facts
    # The rejected Child SA response that follows is its consequence, not a selector mismatch of its own.
    assert {f.category for f in result.findings} == {"kernel_sa_install"}


def test_pluto_5s_install_failure_line_is_the_kernels_refusal() -> None:
    # programs/pluto/kernel_policy.c (libreswan 5): printed when the kernel did not take the Child SA's policy.
    text = PLUTO_CHILD_TEMPORARY_FAILURE.replace('"west-east" #2: CHILD SA failed: TEMPORARY_FAILURE',
                                                 '"west-east" #2: installing IPsec SA failed - check logs or dmesg')
    assert primary_of(text) == "kernel_sa_install"


def test_an_ike_sa_whose_child_sa_the_initiator_rejected_is_not_read_as_up() -> None:
    # Without a line saying why, the rejection keeps its own (weak) reading instead of an SA coming up.
    text = "\n".join(line for line in PLUTO_CHILD_TEMPORARY_FAILURE.splitlines() if "TEMPORARY_FAILURE" not in line)
    result = analyze_text(text)
    rejected = next(f for f in result.findings if "rejected Child SA response" in f.text)
    assert rejected.event != "established"
