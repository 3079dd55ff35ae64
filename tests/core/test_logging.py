import logging

from meettui.core.redact import clear_registered_secrets, register_secret
from meettui.logs import setup_logging


def test_log_file_redacts_secrets_and_room_keys(tmp_path):
    path = setup_logging(debug=True, path=tmp_path / "meettui.log")
    secret = "sk_live_0123456789abcdef"
    register_secret(secret)
    try:
        log = logging.getLogger("meettui.test")
        log.info("calling with key %s", secret)
        log.info("host link https://a.whereby.com/r?roomKey=SECRETROOMKEY")
        log.info("host link https://m.example.com/?room_token=1&participant_token=PARTTOKEN9")
        log.debug("header Authorization: Bearer abc.def.ghi")
        try:
            raise RuntimeError(f"boom {secret}")
        except RuntimeError:
            log.exception("failed")
        logging.getLogger("httpx").warning("GET https://x/?token=tok123456 failed")
        for handler in logging.getLogger("meettui").handlers:
            handler.flush()
        text = path.read_text()
    finally:
        clear_registered_secrets()
    assert "calling with key ***" in text
    assert secret not in text
    assert "SECRETROOMKEY" not in text
    assert "PARTTOKEN9" not in text and "participant_token=***" in text
    assert "abc.def.ghi" not in text
    assert "tok123456" not in text
    assert "RuntimeError: boom ***" in text


def test_nothing_logged_to_the_terminal(tmp_path, capsys):
    setup_logging(path=tmp_path / "x.log")
    logging.getLogger("meettui.anything").error("should stay in the file")
    logging.getLogger("httpx").error("and this too")
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert "should stay in the file" in (tmp_path / "x.log").read_text()
