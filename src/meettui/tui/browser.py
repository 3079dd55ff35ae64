"""Open a link in the user's web browser (standard library `webbrowser`), never in a
text-mode browser: lynx or w3m would take over the very terminal meettui runs in."""

from __future__ import annotations

import webbrowser

from meettui.core.link_check import refusal


def open_in_browser(url: str) -> str | None:
    """Open `url`; None when a browser took it, else why not (for a message). Blocking:
    call it off the UI thread."""
    refused = refusal(url)
    if refused is not None:
        # The model leaves such links out; this is the last gate before a browser (a
        # `javascript:` or `file:` link would run code or open a file there).
        return f"meettui does not open this link: it is {refused}."
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "No web browser was found on this machine (over SSH there is none)."
    if _text_mode(browser):
        name = getattr(browser, "name", "") or type(browser).__name__
        return (f"The only browser here is the text-mode {name}, which would take over "
                "this terminal.")
    try:
        opened = browser.open(url, new=2)
    except Exception as exc:  # a browser's own failure: say it, never crash
        return f"The browser could not be started ({type(exc).__name__}: {exc})."
    return None if opened else "The browser did not accept the link."


def _text_mode(browser: webbrowser.BaseBrowser) -> bool:
    """True for browsers that run in the terminal (lynx, w3m, links, elinks…)."""
    if isinstance(browser, webbrowser.BackgroundBrowser):
        return False  # xdg-open and other graphical launchers
    if isinstance(browser, webbrowser.UnixBrowser):
        return not browser.background  # elinks: in the terminal
    return isinstance(browser, webbrowser.GenericBrowser)
