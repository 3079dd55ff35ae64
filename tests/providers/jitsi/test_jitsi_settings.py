"""A Jitsi account's `[accounts.settings]` are read as strictly as the config's own keys:
no "yes" taken for true, no link taken for a server's name with its path dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from meettui.core.config import parse_config
from meettui.core.errors import ConfigError


def _config(settings: str):
    text = f'[[accounts]]\nname = "team"\nprovider = "jitsi"\n[accounts.settings]\n{settings}\n'
    return parse_config(text, Path("/tmp/config.toml"))


@pytest.mark.parametrize("value", ['"yes"', '"no"', "1", "0"])
def test_readable_takes_a_toml_boolean_only(value):
    # `readable = "yes"` (or "no", or 1) loaded as a boolean, while `builtin_jitsi = "no"`
    # is refused: the same rule now.
    with pytest.raises(ConfigError) as caught:
        _config(f"readable = {value}")
    message = str(caught.value)
    assert "line 5" in message and "settings.readable" in message
    assert "use true or false (without quotes)" in message


def test_readable_true_is_taken():
    account = _config("readable = true").account("team")
    assert account.settings == {"readable": True}


@pytest.mark.parametrize("value", ["https://evil.example/x y", "meet.example.org/room",
                                   "meet.example.org?x=1", "meet example.org"])
def test_a_domain_that_is_no_host_name_is_refused_when_the_config_loads(value):
    # "https://evil.example/x y" made rooms on evil.example, the path dropped silently.
    with pytest.raises(ConfigError) as caught:
        _config(f'domain = "{value}"')
    message = str(caught.value)
    assert "settings.domain" in message and "write the host alone" in message


@pytest.mark.parametrize("value", ["meet.example.org", "https://meet.example.org/",
                                   "meet.example.org:8443"])
def test_a_host_name_is_taken(value):
    assert _config(f'domain = "{value}"').account("team").settings == {"domain": value}
