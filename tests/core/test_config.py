import importlib.machinery
import sys
import types

import pytest

from meettui.core.config import (
    cache_path,
    config_path,
    load_config,
    log_path,
    parse_config,
    resolve_secrets,
)
from meettui.core.errors import ConfigError
from meettui.core.redact import clear_registered_secrets, redact


def test_env_overrides_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("MEETTUI_CONFIG", str(tmp_path / "c.toml"))
    monkeypatch.setenv("MEETTUI_CACHE", str(tmp_path / "cache.db"))
    assert config_path() == tmp_path / "c.toml"
    assert cache_path() == tmp_path / "cache.db"
    monkeypatch.delenv("MEETTUI_LOG", raising=False)
    assert log_path().name == "meettui.log"


def test_no_config_file_offers_builtin_jitsi(tmp_path):
    config = load_config(tmp_path / "absent.toml")
    assert config.accounts[0].name == "jitsi"
    assert config.accounts[0].provider == "jitsi"
    assert config.is_demo


def test_configured_accounts_are_not_demo(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = "meettui-light"\n\n[[accounts]]\nname = "work"\nprovider = "jitsi"\n'
        '[accounts.settings]\ndomain = "meet.example.org"\n'
    )
    config = load_config(path)
    assert not config.is_demo
    assert [a.name for a in config.accounts] == ["jitsi", "work"]
    assert config.account("work").settings["domain"] == "meet.example.org"
    assert config.theme == "meettui-light"


def test_malformed_toml_names_file_and_line(tmp_path):
    path = tmp_path / "config.toml"
    text = '[[accounts]]\nname = "work"\nprovider = jitsi\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, path)
    message = str(info.value)
    assert str(path) in message
    assert "line 3" in message
    assert "quotes" in info.value.hint


@pytest.mark.parametrize(("text", "line", "shown"), [
    # Cut short inside a string: tomllib says "at end of document", no line.
    ('[[accounts]]\nname = "work"\nprovider = "jits', 3, 'provider = "jits'),
    # Cut short in a multi-line string, blank lines after: the last line with text.
    ('theme = "x"\nnotes = """abc\n\n\n', 2, 'notes = """abc'),
    ('theme = "x"\nlist = [1,\n2', 3, "2"),
])
def test_toml_cut_short_names_the_last_line_and_its_text(tmp_path, text, line, shown):
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as info:
        parse_config(text, path)
    message = info.value.message
    assert message.startswith(f"{path}, line {line}, where the file ends: not valid TOML: ")
    assert message.endswith(f"(`{shown}`).") and "end of document" not in message
    assert info.value.hint.startswith(f"The file ends before line {line} is complete")
    assert "named above" not in info.value.hint


def test_every_toml_error_names_its_line_in_the_message_and_the_hint(tmp_path):
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as info:
        parse_config('a = 1\nb = 2\nb = 3\n', path)
    assert info.value.message == (f"{path}, line 3, column 6: not valid TOML: Cannot "
                                  "overwrite a value (`b = 3`).")
    assert info.value.hint == ("A key on line 3 is given twice in its table (or names a "
                               "table given already): keep one of them.")


def test_unknown_setting_names_line_and_fix(tmp_path):
    path = tmp_path / "config.toml"
    text = (
        '[[accounts]]\nname = "a"\nprovider = "jitsi"\n\n'
        '[[accounts]]\nname = "b"\nprovider = "jitsi"\napi_key = "oops"\n'
    )
    with pytest.raises(ConfigError) as info:
        parse_config(text, path)
    assert "line 8" in info.value.message
    assert "api_key" in info.value.message
    assert "Remove or rename" in info.value.hint


def test_unknown_provider_lists_the_known_ones(tmp_path):
    text = '[[accounts]]\nname = "a"\nprovider = "zoom"\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, tmp_path / "c.toml")
    assert "line 3" in info.value.message
    assert "whereby" in info.value.message and "jitsi" in info.value.message


def test_duplicate_account_names(tmp_path):
    account = '[[accounts]]\nname = "a"\nprovider = "jitsi"\n'
    text = account * 2
    with pytest.raises(ConfigError, match="used twice"):
        parse_config(text, tmp_path / "c.toml")


def test_missing_secret_names_the_variable(tmp_path):
    text = '[[accounts]]\nname = "wb"\nprovider = "whereby"\nsecret_env = "WB_KEY"\n'
    account = parse_config(text, tmp_path / "c.toml").account("wb")
    with pytest.raises(ConfigError) as info:
        resolve_secrets(account, ("api_key",), env={})
    assert "WB_KEY" in info.value.hint


def test_missing_secret_source_suggests_one(tmp_path):
    text = '[[accounts]]\nname = "wb-main"\nprovider = "whereby"\n'
    account = parse_config(text, tmp_path / "c.toml").account("wb-main")
    with pytest.raises(ConfigError) as info:
        resolve_secrets(account, ("api_key",), env={})
    assert "secret_env" in info.value.hint
    assert "MEETTUI_WB_MAIN_API_KEY" in info.value.hint


def test_secret_from_env_is_registered_for_redaction(tmp_path):
    text = '[[accounts]]\nname = "wb"\nprovider = "whereby"\nsecret_env = "WB_KEY"\n'
    account = parse_config(text, tmp_path / "c.toml").account("wb")
    try:
        secrets = resolve_secrets(account, ("api_key",), env={"WB_KEY": "k_very_secret_123"})
        assert secrets == {"api_key": "k_very_secret_123"}
        assert redact("oops k_very_secret_123 leaked") == "oops *** leaked"
    finally:
        clear_registered_secrets()


def test_optional_secrets_are_read_when_named_and_skipped_when_not(tmp_path):
    text = ('[[accounts]]\nname = "a"\nprovider = "whereby"\nsecret_env = "KEY_PEM"\n'
            '[[accounts]]\nname = "b"\nprovider = "whereby"\n')
    config = parse_config(text, tmp_path / "c.toml")
    try:
        # `secret_env` stands for the first optional secret when none is required.
        found = resolve_secrets(config.account("a"), (), env={"KEY_PEM": "pem_text_123456"},
                                optional=("private_key",))
        assert found == {"private_key": "pem_text_123456"}
        assert redact("key pem_text_123456") == "key ***"
        assert resolve_secrets(config.account("a"), (), env={},
                               optional=("private_key",)) == {}
        assert resolve_secrets(config.account("b"), (), env={"KEY_PEM": "x"},
                               optional=("private_key",)) == {}
        # A required one is still required next to an optional one.
        with pytest.raises(ConfigError, match="needs its api key"):
            resolve_secrets(config.account("b"), ("api_key",), env={},
                            optional=("private_key",))
    finally:
        clear_registered_secrets()


def test_unknown_account_lists_known(tmp_path):
    config = load_config(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="No account named 'nope'"):
        config.account("nope")


def test_a_misspelled_provider_setting_names_its_file_and_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[[accounts]]\nname = "work"\nprovider = "jitsi"\n'
        '[accounts.settings]\ndomian = "meet.example.org"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message == (
        f"{path}, line 5: account 'work': `settings.domian` is not a setting of Jitsi — did "
        "you mean `domain`?")
    assert caught.value.hint == "Rename `domian` to `domain`."


@pytest.mark.parametrize(("settings", "said", "hint"), [
    # The typo was not named: "accounts.0.settings.instance: required setting is missing".
    ('instanse = "demo"\n', "line 5: account 'advice': `settings.instance` is missing; "
     "`instanse` is not a setting of 24sessions — did you mean `instance`?",
     "Rename `instanse` to `instance`."),
    # Both given: the misspelled one is plain unknown (nothing to offer in its place).
    ('instanse = "demo"\ninstance = "demo"\n', "line 5: account 'advice': "
     "`settings.instanse` is not a setting of 24sessions.", "Remove or rename `instanse`"),
    ("", "line 4: account 'advice': `settings.instance` is missing.",
     "Add `instance = ...` there."),
])
def test_a_misspelled_required_setting_is_named_beside_the_missing_one(tmp_path, settings,
                                                                       said, hint):
    path = tmp_path / "config.toml"
    path.write_text('[[accounts]]\nname = "advice"\nprovider = "24sessions"\n'
                    f"[accounts.settings]\n{settings}")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message == f"{path}, {said}"
    assert caught.value.hint.startswith(hint)


@pytest.mark.parametrize(("text", "said"), [
    # `accounts.1` counted from 0: the account said as people say it.
    ('[[accounts]]\nname = "a"\nprovider = "jitsi"\n[[accounts]]\nprovider = "jitsi"\n',
     "line 4: the 2nd [[accounts]] entry: `name` is missing."),
    ('[[accounts]]\nname = "a"\nprovider = "jitsi"\nread_olny = true\n',
     "line 4: account 'a': `read_olny` is not a key of an [[accounts]] entry — did you "
     "mean `read_only`?"),
    ('them = "x"\n', "line 1: `them` is not a key of the config file — did you mean "
     "`theme`?"),
])
def test_the_account_and_a_misspelled_key_are_said_in_words(tmp_path, text, said):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message == f"{path}, {said}"


def test_a_provider_setting_of_the_wrong_value_is_refused(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[[accounts]]\nname = "a"\nprovider = "jitsi"\n'
        '[[accounts]]\nname = "ey"\nprovider = "eyeson"\nsecret_env = "K"\n'
        '[accounts.settings]\nbody = "xml"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}, line 9" in str(caught.value)
    assert "account 'ey': `settings.body`" in str(caught.value)


@pytest.mark.parametrize(("line", "said"), [
    ('read_only = "yes"', "account 'a': `read_only`: use true or false (without quotes), "
                          "not 'yes'"),
    ("read_only = 0", "account 'a': `read_only`: use true or false (without quotes), "
                      "not 0"),
])
def test_a_flag_is_true_or_false_not_a_word_or_number(tmp_path, line, said):
    # Both were taken as a bool without a word ("yes" as true, 0 as false).
    path = tmp_path / "config.toml"
    path.write_text(f'[[accounts]]\nname = "a"\nprovider = "jitsi"\n{line}\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}, line 4: {said}" in str(caught.value)


@pytest.mark.parametrize(("value", "said"), [
    ('"twelve"', "give an id (12) or /users/12"),
    ("12.5", "give an id (12) or /users/12"),
    ('"/meeting_types/3"', "give an id (12) or /users/12"),
])
def test_a_24sessions_user_that_is_no_id_is_refused_when_the_config_loads(tmp_path, value,
                                                                          said):
    # `user = "twelve"` loaded, and failed only at the first create, naming no file.
    path = tmp_path / "config.toml"
    path.write_text('[[accounts]]\nname = "s"\nprovider = "24sessions"\n'
                    f'[accounts.settings]\ninstance = "acme"\nuser = {value}\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}, line 6: account 's': `settings.user`: {said}" in str(caught.value)


@pytest.mark.parametrize("value", ["12", '"12"', '"/users/12"'])
def test_a_24sessions_user_id_or_iri_loads(tmp_path, value):
    path = tmp_path / "config.toml"
    path.write_text('[[accounts]]\nname = "s"\nprovider = "24sessions"\n'
                    f'[accounts.settings]\ninstance = "acme"\nuser = {value}\n')
    assert load_config(path).account("s").settings["user"] in (12, "12", "/users/12")


def _keyring_account():
    from meettui.core.config import AccountConfig

    return AccountConfig(name="w", provider="whereby", keyring="meettui")


@pytest.mark.parametrize(("pip", "install"), [
    (None, "uv pip install --python {python} keyring"),  # a uv environment: no pip
    (importlib.machinery.ModuleSpec("pip", None), "{python} -m pip install keyring"),
])
def test_a_keyring_account_without_the_keyring_package_says_so(monkeypatch, pip, install):
    # It suggested an environment variable only, as if no keyring had been named; then
    # "pip install keyring", which in a uv checkout installs wherever `pip` points, not
    # into meettui's .venv (it has no pip).
    monkeypatch.setitem(sys.modules, "keyring", None)  # `import keyring` fails
    if pip is None:
        monkeypatch.setitem(sys.modules, "pip", None)
    else:
        monkeypatch.setitem(sys.modules, "pip", types.SimpleNamespace(__spec__=pip))
    monkeypatch.setattr(sys, "executable", "/opt/my env/bin/python3")
    with pytest.raises(ConfigError) as caught:
        resolve_secrets(_keyring_account(), ("api_key",), env={})
    command = install.format(python="'/opt/my env/bin/python3'")
    assert caught.value.hint.startswith(
        "To fix: the keyring package is not installed in meettui's environment, so the "
        f"keyring service 'meettui' cannot be read (install it there: {command}); or add "
        "`secret_env")


@pytest.mark.parametrize(("get_password", "said"), [
    (lambda service, user: None, "store it in the keyring: keyring set meettui w:api_key"),
    (lambda service, user: 1 / 0, "the system keyring could not be read (ZeroDivisionError)"),
])
def test_a_keyring_that_gives_nothing_says_what_to_do(monkeypatch, get_password, said):
    monkeypatch.setitem(sys.modules, "keyring",
                        types.SimpleNamespace(get_password=get_password))
    with pytest.raises(ConfigError) as caught:
        resolve_secrets(_keyring_account(), ("api_key",), env={})
    assert caught.value.hint.startswith(f"To fix: {said}; or add `secret_env")


def test_a_keyring_secret_is_read(monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(
        get_password=lambda service, user: "kr-secret-123" if user == "w:api_key" else None))
    assert resolve_secrets(_keyring_account(), ("api_key",), env={}) == {
        "api_key": "kr-secret-123"}


@pytest.mark.parametrize("line", ['secret_env = "WB KEY=1"', 'secret_envs = { api_key = "1X" }'])
def test_a_secret_variable_must_be_a_variable_name(tmp_path, line):
    # "WB KEY=1" was taken, and the missing-secret message masked part of it.
    path = tmp_path / "config.toml"
    path.write_text(f'[[accounts]]\nname = "w"\nprovider = "whereby"\n{line}\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}, line 4" in str(caught.value) and "environment variable name" in str(
        caught.value)


def test_two_variables_for_one_secret_are_refused(tmp_path):
    # secret_envs won over secret_env without a word.
    text = ('[[accounts]]\nname = "w"\nprovider = "whereby"\nsecret_env = "A_KEY"\n'
            'secret_envs = { api_key = "B_KEY" }\n')
    account = parse_config(text, tmp_path / "c.toml").account("w")
    with pytest.raises(ConfigError) as caught:
        resolve_secrets(account, ("api_key",), env={"A_KEY": "a", "B_KEY": "b"})
    assert "names two variables for its api key: secret_env (A_KEY) and " \
           "secret_envs.api_key (B_KEY)" in str(caught.value)


def test_a_secret_loses_the_whitespace_around_it(tmp_path, monkeypatch):
    # Secret files and `$(cat key)` bring a trailing line break; the key was sent with it,
    # httpx refused the header and its error quoted the key.
    text = ('[[accounts]]\nname = "w"\nprovider = "whereby"\nsecret_env = "WB_KEY"\n'
            '[[accounts]]\nname = "k"\nprovider = "whereby"\nkeyring = "meettui"\n')
    config = parse_config(text, tmp_path / "c.toml")
    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(
        get_password=lambda service, user: "\tkr-secret-456\r\n"))
    try:
        assert resolve_secrets(config.account("w"), ("api_key",),
                               env={"WB_KEY": " wb-secret-123\n"}) == {"api_key": "wb-secret-123"}
        assert resolve_secrets(config.account("k"), ("api_key",), env={}) == {
            "api_key": "kr-secret-456"}
        assert redact("sent wb-secret-123 and kr-secret-456") == "sent *** and ***"
    finally:
        clear_registered_secrets()


def test_a_blank_secret_counts_as_missing(tmp_path, monkeypatch):
    text = '[[accounts]]\nname = "w"\nprovider = "whereby"\nsecret_env = "WB_KEY"\n'
    account = parse_config(text, tmp_path / "c.toml").account("w")
    with pytest.raises(ConfigError) as caught:
        resolve_secrets(account, ("api_key",), env={"WB_KEY": " \n"})
    assert caught.value.message == ("Account 'w' needs its api key: $WB_KEY is not set "
                                    "(or is blank).")
    assert caught.value.hint == "To fix: set WB_KEY in the environment."
    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(
        get_password=lambda service, user: "\n"))
    with pytest.raises(ConfigError) as caught:
        resolve_secrets(_keyring_account(), ("api_key",), env={})
    assert caught.value.hint.startswith(
        "To fix: store it in the keyring: keyring set meettui w:api_key; or add `secret_env")


@pytest.mark.parametrize("url", [
    "http://admin:hunter2@127.0.0.1:8080",
    "https://admin:hunter2@api.example.org/v1",
    "https://hunter2@api.example.org",  # a bare token as the user name
    "https://admin:hunt@er2@api.example.org",
    "admin:hunter2@api.example.org",  # without a scheme
])
def test_a_base_url_with_a_password_is_refused_at_load(tmp_path, url):
    # It was printed in every error naming a request and twice in the log of each.
    path = tmp_path / "config.toml"
    path.write_text('[[accounts]]\nname = "s"\nprovider = "24sessions"\n'
                    f'base_url = "{url}"\n[accounts.settings]\ninstance = "acme"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message == (
        f"{path}, line 4: account 's': `base_url`: holds a user name or password "
        "(user:password@); credentials belong in `secret_env`, `secret_envs` or the "
        "keyring, never in the config file")
    assert "hunter2" not in str(caught.value) and "hunt" not in str(caught.value)


@pytest.mark.parametrize("url", [
    "https://api.example.org/v1", "http://127.0.0.1:8080/rest",
    "https://api.example.org/people/a@b.example",  # an @ in the path is no user
    "https://api.example.org/v1?contact=a@b.example",
])
def test_a_base_url_without_user_information_is_taken(tmp_path, url):
    path = tmp_path / "config.toml"
    path.write_text(f'[[accounts]]\nname = "w"\nprovider = "whereby"\nbase_url = "{url}"\n')
    assert load_config(path).account("w").base_url == url


@pytest.mark.parametrize("reason", ['""', '"   "'])
def test_a_blank_cancellation_reason_is_refused_at_its_line(tmp_path, reason):
    # It was sent as the reason the guest reads ("Cancellation reason:" and nothing),
    # where `cancel --reason "  "` is refused.
    path = tmp_path / "config.toml"
    text = ('[[accounts]]\nname = "advice"\nprovider = "24sessions"\n'
            'secret_envs = { client_id = "A", client_secret = "B" }\n'
            '[accounts.settings]\ninstance = "acme"\n'
            f"cancellation_reason = {reason}\n")
    with pytest.raises(ConfigError) as info:
        parse_config(text, path)
    message = str(info.value)
    assert str(path) in message and "line 7" in message and "cancellation_reason" in message
    assert "give the reason the guest reads" in message
    ok = parse_config(text.replace(f"cancellation_reason = {reason}",
                                   'cancellation_reason = " Advisor away "'), path)
    assert ok.account("advice").settings["cancellation_reason"] == " Advisor away "


@pytest.mark.parametrize(("text", "said", "hint"), [
    # Pydantic's "`keymap`: Input should be a valid dictionary", "Change `keymap` as
    # described".
    ('keymap = "x"\n', 'line 1: `keymap`: write a table, headed `[keymap]`, not "x"',
     'Remove `keymap = "x"` and write `[keymap]` on a line of its own, its keys on the '
     "lines after it."),
    ('[[accounts]]\nname = "j"\nprovider = "jitsi"\nsettings = 3\n',
     "line 4: account 'j': `settings`: write a table, headed `[accounts.settings]`, not 3",
     "Remove `settings = 3` and write `[accounts.settings]` on a line of its own, its "
     "keys on the lines after it."),
    # A key of the file itself was sent to "the settings an account takes".
    ("foo = 1\n", "line 1: `foo` is not a key of the config file.",
     "Remove or rename `foo`; see the README for the keys the config file takes "
     "(Configuration)."),
    ('[[accounts]]\nname = "j"\nprovider = "jitsi"\nfoo = 1\n',
     "line 4: account 'j': `foo` is not a key of an [[accounts]] entry.",
     "Remove or rename `foo`; see the README for the settings an account takes."),
])
def test_a_value_that_should_be_a_table_and_an_unknown_key_say_what_to_write(tmp_path, text,
                                                                             said, hint):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message == f"{path}, {said}"
    assert caught.value.hint == hint


@pytest.mark.parametrize(("line", "quoted"), [
    ("client_secret = SECRET-Config-Syntax-32", "client_secret = …"),
    ('token = "SECRET-CONFIG-UNTERM-36', "token = …"),
    ('private_key = "-----BEGIN PRIVATE KEY-----', "private_key = …"),
    ('"api_key" = 12ab cd', '"api_key" = …'),
    ("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7 x", "… x"),
    # Where a secret is, not the secret: quoted as it is.
    ("secret_env = WHEREBY KEY", "secret_env = WHEREBY KEY"),
    ("name = support desk", "name = support desk"),
])
def test_a_broken_line_is_quoted_without_the_secret_on_it(tmp_path, line, quoted):
    # The TOML error quoted the line as it is: a client secret typed without quotes
    # went to stderr, to an MCP client's log, and to anyone reading over a shoulder.
    path = tmp_path / "config.toml"
    path.write_text(f"builtin_jitsi = false\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert f"(`{quoted}`)" in info.value.message
    assert "SECRET" not in info.value.message and "MIIEvQ" not in info.value.message
