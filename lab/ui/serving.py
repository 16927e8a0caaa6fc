"""How this server was started: for one person on this computer, or for a team over the network.

`vpn-lab run` (the default) listens on 127.0.0.1 only: the person at the keyboard may pick any AWS
profile of their own config. `vpn-lab run --team` (or any non-loopback address) serves a room or a
shared server: live AWS is off unless the operator adds `--live-aws`, visitors never see the list of
local profiles (the server reads with the one profile the operator named, or the default chain), and
the Monitor says which identity it is connected as. The mode travels from the CLI to the app in
environment variables set by `vpn-lab run`; nothing a visitor sends can change it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

TEAM_ENV = "VPN_LAB_TEAM"
LIVE_ENV = "VPN_LAB_LIVE_AWS"
PROFILE_ENV = "VPN_LAB_AWS_PROFILE"


@dataclass(frozen=True)
class Serving:
    team: bool  # served to other people over the network
    live_aws: bool  # the Monitor may read live AWS
    profile: str | None  # in team mode: the one profile the server reads with (None: default chain)

    @property
    def choose_profile(self) -> bool:
        """Whether the page may list local AWS profiles (only for the person on this computer)."""
        return not self.team


def serving() -> Serving:
    team = os.environ.get(TEAM_ENV, "") == "1"
    live = (not team) or os.environ.get(LIVE_ENV, "") == "1"
    profile = os.environ.get(PROFILE_ENV) or None
    return Serving(team=team, live_aws=live, profile=profile if team else None)
