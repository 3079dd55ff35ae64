"""The link recogniser (`core/links.py` with the providers' own rules): made-up links in
the shapes each service hands out, including host/start links, passcodes and tokens,
and the hostile ones that must be refused or made safe."""

from __future__ import annotations

import pytest

from meettui.core.importing import provider_rules
from meettui.core.links import MAX_LINK, BadLink, clean_url, recognise

RULES = provider_rules()

# url, service, meeting id, passcode, shareable
CASES = [
    # Zoom: join, vanity and regional subdomains, start (host), webinar, registrant token
    ("https://zoom.us/j/81234567890?pwd=aBcD3fGh1JkLmN0pQrStUv", "zoom", "81234567890",
     "aBcD3fGh1JkLmN0pQrStUv", True),
    ("https://acme-corp.zoom.us/j/96385274100", "zoom", "96385274100", None, True),
    ("https://us02web.zoom.us/j/87654321098?pwd=ZXhhbXBsZQ.1", "zoom", "87654321098",
     "ZXhhbXBsZQ.1", True),
    ("https://acme-corp.zoom.us/s/96385274100?zak=eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.x",
     "zoom", "96385274100", None, False),
    ("https://zoom.us/s/81234567890", "zoom", "81234567890", None, False),
    ("https://zoom.us/w/91122334455?pwd=V2ViaW5hcg", "zoom", "91122334455", "V2ViaW5hcg", True),
    ("https://zoom.us/w/91122334455?tk=Rk9SX09ORV9SRUdJU1RSQU5U.DQ", "zoom", "91122334455",
     None, False),
    ("https://zoom.us/my/dr.jane", "zoom", "dr.jane", None, True),
    ("https://zoom.us/wc/join/81234567890", "zoom", "81234567890", None, True),
    # Microsoft Teams: work (meetup-join, v2 web app) and personal (meet/ID?p=)
    ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ5YjM2ZTgtMDk1Ni00%40thread.v2"
     "/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af%22%2c%22Oid%22%3a%22e1a4%22%7d",
     "teams", "19:meeting_NzQ5YjM2ZTgtMDk1Ni00@thread.v2", None, True),
    ("https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/19:meeting_QUJD@thread.v2"
     "/0", "teams", "19:meeting_QUJD@thread.v2", None, True),
    ("https://teams.live.com/meet/9384756123456?p=Ab12Cd34Ef", "teams", "9384756123456",
     "Ab12Cd34Ef", True),
    ("https://teams.microsoft.com/meet/2718281828459?p=XyZ987", "teams", "2718281828459",
     "XyZ987", True),
    # Google Meet
    ("https://meet.google.com/abc-defg-hij", "meet", "abc-defg-hij", None, True),
    ("https://meet.google.com/xyz-wvut-srq?authuser=1&hs=122", "meet", "xyz-wvut-srq", None,
     True),
    ("https://meet.google.com/lookup/teamstandup", "meet", "teamstandup", None, True),
    # Webex: personal room, join, j.php MTID, wbxmjs join service, URL API host link
    ("https://acme.webex.com/meet/jdoe", "webex", "jdoe", None, True),
    ("https://acme.my.webex.com/join/jdoe", "webex", "jdoe", None, True),
    ("https://acme.webex.com/acme/j.php?MTID=m6f1e2d3c4b5a69788796a5b4c3d2e1f0", "webex",
     "m6f1e2d3c4b5a69788796a5b4c3d2e1f0", None, True),
    ("https://acme.webex.com/wbxmjs/joinservice/sites/acme/meeting/download/"
     "0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c?siteurl=acme&MTID=m0f9e8d7c", "webex", "m0f9e8d7c",
     None, True),
    ("https://acme.webex.com/acme/m.php?AT=HM&MK=25812345678&PW=hostPassw0rd", "webex",
     "25812345678", None, False),
    # GoTo
    ("https://meet.goto.com/512345678", "goto", "512345678", None, True),
    ("https://global.gotomeeting.com/join/987654321", "goto", "987654321", None, True),
    ("https://app.gotomeeting.com/?meetingId=123456789", "goto", "123456789", None, True),
    # Whereby: room, host link (roomKey), personal room
    ("https://acme.whereby.com/support-9cf691bf-f2d5-4420-bda9-ee8607bb558b", "whereby",
     "support-9cf691bf-f2d5-4420-bda9-ee8607bb558b", None, True),
    ("https://acme.whereby.com/support-9cf691bf?roomKey=eFhcG2bXk1lU0ZG9mNm0yZk1ZRk1i00ZG",
     "whereby", "support-9cf691bf", None, False),
    ("https://whereby.com/dr-jane", "whereby", "dr-jane", None, True),
    # eyeson: permalink guest link, a host's own link, a running room's guest link
    ("https://app.eyeson.team/permalink?guest=Q7dR2kLmN8pT4vWx", "eyeson", None, None, True),
    ("https://app.eyeson.team/permalink?G5Ik4VFW7nc09nMAp5ITIR1A", "eyeson", None, None, False),
    ("https://app.eyeson.team/?guest=Zz9Yy8Xx7Ww6Vv5U", "eyeson", None, None, True),
    # Jitsi: meet.jit.si, 8x8.vc tenant, self-hosted with a JWT
    ("https://meet.jit.si/WeeklyStandup-k3x9q2m7p4r8t6w1", "jitsi",
     "WeeklyStandup-k3x9q2m7p4r8t6w1", None, True),
    ("https://8x8.vc/vpaas-magic-cookie-0123abcd/BoardRoom", "jitsi", "BoardRoom", None, True),
    ("https://meet.example.org/Clinic?jwt=eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.sig", "jitsi",
     "Clinic", None, False),
    ("https://jitsi.hospital.example/Ward7", "jitsi", "Ward7", None, True),
    # 24sessions: guest join link, host room
    ("https://acme.24sessions.com/join/k8J2mN4pQ6rS", "24sessions", "k8J2mN4pQ6rS", None, True),
    ("https://acme.24sessions.com/room/meeting/4711", "24sessions", "4711", None, False),
    # Amazon Chime
    ("https://chime.aws/3141592653", "chime", "3141592653", None, True),
    ("https://app.chime.aws/meetings/2718281828?pin=1234", "chime", "2718281828", "1234", True),
    # Anything else: a plain link; a passcode it names is read, a token makes it private
    ("https://video.example.com/rooms/42?pwd=open123", "link", None, "open123", True),
    ("https://video.example.com/rooms/42?access_token=abc.def.ghi", "link", None, None, False),
    ("https://video.example.com/join#token=abc123def", "link", None, None, False),
]


@pytest.mark.parametrize(("url", "service", "meeting_id", "passcode", "shareable"), CASES,
                         ids=[c[0][8:60] for c in CASES])
def test_each_service_is_recognised(url, service, meeting_id, passcode, shareable):
    rec = recognise(url, rules=RULES)
    assert (rec.service, rec.meeting_id, rec.passcode, rec.shareable) == (
        service, meeting_id, passcode, shareable)
    assert rec.url == url
    # A link that must not be shared always says why; one that may, never does.
    assert bool(rec.why) is not shareable


def test_a_configured_jitsi_domain_is_jitsi_even_without_a_tell_tale_name():
    url = "https://video.clinic.example/Consultation42"
    assert recognise(url).service == "link"
    rec = recognise(url, jitsi_domains=["video.clinic.example"])
    assert (rec.service, rec.meeting_id, rec.shareable) == ("jitsi", "Consultation42", True)


def test_whitespace_around_the_link_and_angle_brackets_are_stripped():
    rec = recognise("  \t<https://meet.google.com/abc-defg-hij>\n ")
    assert rec.url == "https://meet.google.com/abc-defg-hij"
    assert recognise("zoom.us/j/81234567890").url == "https://zoom.us/j/81234567890"


def test_an_idn_host_is_shown_as_punycode_with_a_note():
    rec = recognise("https://zооm.us/j/81234567890")  # Cyrillic "о": a look-alike
    assert rec.host == "xn--zm-fmca.us" and rec.url == "https://xn--zm-fmca.us/j/81234567890"
    assert rec.service == "link"  # not Zoom, whatever it looks like
    assert any("punycode: xn--zm-fmca.us" in note for note in rec.notes)
    # A punycode host typed as such gets the same note.
    assert recognise("https://xn--bcher-kva.example/r").notes


def test_http_links_are_kept_with_a_note_and_non_ascii_paths_are_percent_encoded():
    rec = recognise("http://meet.jit.si/Café")
    assert rec.url == "http://meet.jit.si/Caf%C3%A9" and rec.meeting_id == "Café"
    assert any("not encrypted" in note for note in rec.notes)


@pytest.mark.parametrize(("text", "says"), [
    ("javascript:alert(document.cookie)", "javascript: links are refused"),
    ("JavaScript:alert(1)", "javascript: links are refused"),
    ("data:text/html;base64,PHNjcmlwdD4=", "data: links are refused"),
    ("file:///etc/passwd", "file: links are refused"),
    ("ftp://files.example.com/meeting", "ftp: links are refused"),
    ("zoommtg://zoom.us/join?confno=81234567890", "zoommtg: links are refused"),
    ("https://alice:s3cret@zoom.us/j/81234567890", "user name or password"),
    ("https://token@meet.example.org/Room", "user name or password"),
    ("https://zoom.us/j/1\u202egpj.exe", "\\u202e at position"),
    ("https://meet.google.com/abc\x1b[31m", "\\x1b at position"),
    ("https://meet.google.com/abc\u200bdef", "\\u200b at position"),
    ("https://zoom.us/j/1 https://zoom.us/j/2", "holds a space"),
    ("https://example.org/" + "a" * 10_000, f"at most {MAX_LINK:,}"),
    ("", "No link given"),
    ("   ", "No link given"),
    ("https://", "no host name"),
    ("https://exa mple.org", "holds a space"),
    ("https://example.org:99999/x", "not a valid link"),
    ("https://ex_am!ple.org/x", "not a valid host name"),
    # A word without a scheme was kept as "https://notaurl", a guest link.
    ("notaurl", "'notaurl' is not a link: paste the whole address"),
    ("ftp", "'ftp' is not a link"),
    ("standup/room", "'standup' is not a link"),
])
def test_hostile_links_are_refused_with_a_reason(text, says):
    with pytest.raises(BadLink) as refused:
        clean_url(text)
    message = str(refused.value)
    assert says in message
    assert message.isprintable()  # the reason itself is safe to print
    assert len(message) < 300


@pytest.mark.parametrize(("text", "url"), [
    ("zoom.us/j/123", "https://zoom.us/j/123"),
    ("https://intranet/room", "https://intranet/room"),  # a scheme: a one-word host is kept
    ("localhost:8443/x", "https://localhost:8443/x"),
    ("192.168.1.2/x", "https://192.168.1.2/x"),
    # Scheme-relative, as web pages write links: refused as having "no host name".
    ("//meet.google.com/abc-defg-hij", "https://meet.google.com/abc-defg-hij"),
])
def test_a_host_without_a_scheme_needs_its_domain(text, url):
    assert clean_url(text).url == url


def test_a_link_at_the_length_limit_is_taken():
    url = "https://example.org/" + "a" * (MAX_LINK - len("https://example.org/"))
    assert recognise(url).url == url
    with pytest.raises(BadLink):
        recognise(url + "a")


def test_every_rule_documents_its_shapes():
    from meettui.core.links import RULES as BUILT_IN

    for rule in (*BUILT_IN, *RULES):
        assert rule.shapes and all("://" in shape or "…" in shape for shape in rule.shapes)
