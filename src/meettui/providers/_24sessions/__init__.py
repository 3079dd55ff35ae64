"""24sessions: scheduled advisor–customer meetings (OAuth client credentials, Hydra)."""

from meettui.providers._24sessions.client import TwentyFourSessionsProvider

__all__ = ["TwentyFourSessionsProvider"]
