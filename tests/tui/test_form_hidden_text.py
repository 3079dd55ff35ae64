"""A form field that opens with a provider's text (an edit's title, name, description,
metadata; a create form's account default) shows its hidden characters as escapes:
drawn raw, `ESC ]2;…` retitled the terminal window, `ESC [5;5H` moved the cursor and a
bidi override reordered the field. Left as it opened, the field keeps the text it
stands for; typed over, it is saved as shown."""

import pytest
from states import DEMO_NOW, demo_app, open_edit_form, settle
from tui_data import screen_text

from factories import make_meeting
from meettui.core.capabilities import FieldKind
from meettui.core.display import is_hidden, printable
from meettui.core.models import MeetingSpec
from meettui.demo import demo_accounts
from meettui.tui.screens.form import MeetingFormScreen
from meettui.tui.screens.form_fields import HIDDEN_SHOWN, form_fields

HOSTILE = "Hi\x1b]2;PWNED-TITLE\x07\x1b[5;5HINJECTED \u202eevil\u202c zero\u200bwidth"
SHOWN = "Hi\\x1b]2;PWNED-TITLE\\x07\\x1b[5;5HINJECTED \\u202eevil\\u202c zero\\u200bwidth"
TEXT_KINDS = {FieldKind.TEXT}
DEMO_PROVIDERS = tuple(a.provider for a in demo_accounts(None))
ALL_PROVIDERS = ("jitsi", *DEMO_PROVIDERS)


def hidden_in(text: str) -> list[str]:
    return [c for c in text if is_hidden(c) and c != "\n"]


def drawn(widget) -> str:
    """What the widget puts on the terminal, every line of it."""
    return "".join(segment.text for y in range(widget.size.height)
                   for segment in widget.render_line(y))


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
async def test_every_field_an_edit_prefills_from_the_provider(tmp_path, provider):
    app = demo_app(tmp_path, providers=DEMO_PROVIDERS)
    service = app.service
    account = next(a.name for a in service.config.accounts if a.provider == provider)
    texts = [spec.name for spec in form_fields(service.capabilities(account).fields)
             if spec.kind in TEXT_KINDS and spec.name != "title"]
    meeting = make_meeting(7, account=account, title=HOSTILE).model_copy(update={
        "raw": dict.fromkeys(texts, HOSTILE),
    })
    async with app.run_test(size=(120, 80)) as pilot:
        await settle(pilot)
        form = MeetingFormScreen(service, accounts=[account], meeting=meeting)
        app.push_screen(form)
        await pilot.pause()
        fields = {spec.name for spec in form.fields() if spec.kind in TEXT_KINDS}
        assert "title" in fields
        for name in fields:
            widget = form.query_one(f"#field-{name}")
            assert widget.value == SHOWN, name
            assert hidden_in(drawn(widget)) == [], name
        assert hidden_in(screen_text(app)) == []
        hints = [str(w.render()) for w in form.query(".field-help")]
        assert hints.count(HIDDEN_SHOWN) == len(fields)
        # Left as they opened: the title kept as the provider has it, no option sent.
        spec = form.collect()
        assert spec is not None
        assert spec.title == HOSTILE
        assert spec.options == {}


async def test_untouched_title_is_kept_and_a_retyped_one_saved_as_shown(tmp_path):
    app = demo_app(tmp_path, providers=())
    service = app.service
    start = DEMO_NOW.replace(hour=15)
    made = await service.create("jitsi", MeetingSpec(
        title=HOSTILE, starts_at=start, ends_at=start.replace(hour=16)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_edit_form(pilot, made)
        assert form.query_one("#field-title").value == SHOWN
        # Another end, the title as it opened: the title stays the provider's.
        form.query_one("#field-ends_at").value = "+2h"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        saved = service.cached("jitsi", made.id)
        assert saved.title == HOSTILE
        assert saved.ends_at == start.replace(hour=17)

        form = await open_edit_form(pilot, saved)
        title = form.query_one("#field-title")
        assert title.value == SHOWN
        await pilot.press("end", "!")
        assert title.value == SHOWN + "!"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert service.cached("jitsi", made.id).title == SHOWN + "!"  # what was shown


async def test_a_create_form_default_reads_back_as_it_stands(tmp_path, monkeypatch):
    # A default an account's settings decide (`Provider.form_defaults`), holding a hidden
    # character: shown escaped, sent as it is when left alone.
    app = demo_app(tmp_path, providers=())
    monkeypatch.setattr(app.service, "form_defaults",
                        lambda name: {"domain": "meet.example.org\u202e"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = MeetingFormScreen(app.service, accounts=["jitsi"])
        app.push_screen(form)
        await pilot.pause()
        domain = form.query_one("#field-domain")
        assert domain.value == "meet.example.org\\u202e"
        assert hidden_in(drawn(domain)) == []
        form.query_one("#field-title").value = "Lab"
        spec = form.collect()
        assert spec is not None and spec.options["domain"] == "meet.example.org\u202e"


@pytest.mark.parametrize("text", ["Plain title", "Ünïcödé — fine ✓"])
async def test_ordinary_text_opens_as_it_is_without_the_hint(tmp_path, text):
    app = demo_app(tmp_path, providers=())
    meeting = make_meeting(3, account="jitsi", title=text)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = MeetingFormScreen(app.service, accounts=["jitsi"], meeting=meeting)
        app.push_screen(form)
        await pilot.pause()
        assert form.query_one("#field-title").value == text
        assert HIDDEN_SHOWN[:40] not in screen_text(app)
        assert printable(text) == text


async def test_a_title_with_line_breaks_only_says_they_show_as_spaces(tmp_path):
    # Its hint said "shown as escapes such as \x1b" of a field that showed none: line
    # breaks and tabs show as spaces.
    from meettui.tui.screens.form_fields import BREAKS_SHOWN

    app = demo_app(tmp_path, providers=())
    service = app.service
    start = DEMO_NOW.replace(hour=15)
    made = await service.create("jitsi", MeetingSpec(
        title="Two\nlines\tand a tab", starts_at=start, ends_at=start.replace(hour=16)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_edit_form(pilot, made)
        assert form.query_one("#field-title").value == "Two lines and a tab"
        hints = [str(w.render()) for w in form.query(".field-help")]
        assert BREAKS_SHOWN in hints and HIDDEN_SHOWN not in hints
        spec = form.collect()
        assert spec is not None and spec.title == "Two\nlines\tand a tab"  # kept
