"""The list screen's writes: a new meeting, an edit, a delete and a provider's action
on the selected meeting, each asked for (read-only accounts refuse them first) and run
in a worker whose page lands through PageLoaded. Each is under way in the app's
`writes` while it runs (the status line says so; quitting asks), and the full-screen
detail showing the meeting follows what it made of it (`DetailScreen.follow`).

`MainScreen` inherits these."""

from __future__ import annotations

from functools import partial

from meettui.core.account_rules import IMPORTED_KIND
from meettui.core.capabilities import DeleteMode, UpdateMode, describe_delete
from meettui.core.delete_key import delete_key
from meettui.core.display import named, plain_link, printable, quoted, titled_id
from meettui.core.errors import AlreadyDone, GoneUpstream, OutcomeUnknown, maybe_done
from meettui.core.models import Meeting
from meettui.core.service_checks import already_done
from meettui.core.service_writes import UpdateResult
from meettui.tui.app_writes import write_on
from meettui.tui.messages import PageLoaded
from meettui.tui.screens.main_actions import WRITE_ACTIONS
from meettui.tui.screens.main_filter import MainScreenFilter


class MainScreenWrites(MainScreenFilter):
    """The write actions of the list screen (see module docstring)."""

    # New, Edit and Delete as the footer last showed them (`check_action`'s answers),
    # whether the highlighted meeting had a link to share (the hint's copy and QR
    # tips), then whether a meeting was highlighted (the keys that act on one: copy,
    # QR…).
    _write_keys: tuple[bool | None, ...] | None = None

    def write_keys_follow(self) -> None:
        """Light up or grey out New, Edit and Delete for the highlighted meeting, and the
        keys that act on one (`SELECTION_ACTIONS`) as there is one or none. The footer
        worked them out only when the focus moved: `d Delete` stayed lit on a room whose
        provider cannot delete, greyed on a meeting that can be."""
        meeting = self._main.selected
        state = (*(self.check_action(action, ()) for action in WRITE_ACTIONS),
                 meeting is not None and meeting.shareable_link() is not None,
                 meeting is not None)
        renamed = self.name_delete_key()
        if state != self._write_keys or renamed:
            old = self._write_keys
            if old is None or (state[0], *state[-2:]) != (old[0], *old[-2:]):
                # Its tips follow what their keys do here (`tip_works`): `n` on a
                # read-only account, `y` and `Q` on a meeting with no link to share.
                self._main.show_hint()
            self._write_keys = state
            self.refresh_bindings()

    def name_delete_key(self) -> bool:
        """Name `d` as what it does to the highlighted meeting (`delete_key`): "Cancel"
        where a delete cancels, "Forget" where it only forgets the local record or the
        meeting is gone upstream, "Delete for good" on a meeting cancelled already; True
        when the name changed. The help and the palette read the same name."""
        meeting = self._main.selected
        return self.describe_binding("meeting.delete", delete_key(
            self._main.service.capabilities_for(meeting) if meeting is not None else None,
            meeting).label)

    def _writable_accounts(self) -> list[str]:
        main = self._main
        return [
            name for name in main.scope
            if not main.service.is_read_only(name) and main.service.capabilities(name).create
        ]

    def cannot_create(self, name: str) -> str | None:
        """Why account `name` makes no meetings, in its own terms, or None when it can
        (read-only aside: `write_refusal`). The imported account keeps links pasted in:
        it says which key adds one ("No account here can create meetings (read-only?)"
        left the user guessing)."""
        main = self._main
        if main.service.capabilities(name).create:
            return None
        if main.service.config.account(name).provider == IMPORTED_KIND:
            key = main._key_shown("link.import")
            how = (f"press {key} (Paste a meeting link)" if key
                   else "choose \"Paste a meeting link\" in the command palette")
            return (f"{name} holds meeting links pasted in from other services; it creates "
                    f"no meetings. To add one, {how}.")
        return (f"{name} cannot create meetings: {main.service.display_name(name)} makes "
                "none from meettui.")

    def create_refusal(self) -> str | None:
        """Why no account in view can create a meeting (each account's reason, read-only
        first), or None when one can."""
        main = self._main
        if self._writable_accounts():
            return None
        reasons = [reason for name in main.scope
                   if (reason := self.read_only(name) or self.cannot_create(name))]
        if not reasons:
            return "No account here can create meetings."
        if len(reasons) == 1:
            return reasons[0]
        return "No account here can create meetings. " + " ".join(reasons)

    def action_new(self) -> None:
        from meettui.tui.screens.form import MeetingFormScreen

        main = self._main
        reason = self.write_refusal("new") or self.create_refusal()
        if reason is not None:
            self.app.notify(reason, severity="warning")
            return
        accounts = self._writable_accounts()
        current = main.selected.account if main.selected is not None else None
        self.app.push_screen(MeetingFormScreen(main.service, accounts=accounts,
                                               account=current), self._after_save)

    def busy_with(self, meeting: Meeting) -> bool:
        """Whether a change to `meeting` is under way (`MeettuiApp.writes`), said when so:
        `d y d y` on a slow provider asked again and sent a second delete (or cancel)
        while the first was still on its way."""
        doing = next((write.doing for write in self.app.writes if write.key == meeting.key),
                     None)
        if doing is None and any(
                worker.group in (f"delete:{meeting.account}", f"action:{meeting.account}")
                and worker.description.endswith(f" {meeting.id}") and not worker.is_finished
                for worker in self.workers):
            # Started and not yet under way (its worker waits for its turn).
            doing = f"A change to {named(meeting.title, meeting.id)}"
        if doing is None:
            return False
        self.app.notify(f"{doing} is under way: wait for it to end.", severity="warning")
        return True

    def action_edit(self) -> None:
        from meettui.tui.screens.form import MeetingFormScreen

        main = self._main
        meeting = main._need_selection()
        if meeting is None or self.busy_with(meeting):
            return
        reason = self.read_only(meeting.account)
        if reason is not None:
            self.app.notify(reason, severity="warning")
            return
        if meeting.missing:
            self.app.notify(self.gone_note(meeting), severity="warning")
            return
        caps = main.service.capabilities_for(meeting)
        if caps.update == UpdateMode.NONE:
            self.app.notify(caps.update_note or (
                f"{meeting.account} cannot edit meetings: "
                f"{main.service.display_name(meeting.account)} keeps them as made."),
                severity="warning")
            return
        self.app.push_screen(
            MeetingFormScreen(main.service, accounts=[meeting.account], meeting=meeting),
            self._after_save,
        )

    def gone_note(self, meeting: Meeting) -> str:
        """Why `meeting`, gone upstream (`Meeting.missing`), cannot be edited, and what
        the user can do: forget it with the delete key, or refresh in case it is back."""
        main = self._main
        forget, refresh = main._key_shown("meeting.delete"), main._key_shown("list.refresh")
        how = f"Press {forget} to forget it here" if forget else "Delete it to forget it here"
        again = f" ({refresh})" if refresh else ""
        return (f"{titled_id(meeting.title, meeting.id)} is gone upstream: "
                f"{meeting.account!r} no longer has it, so there is nothing to edit. "
                f"{how}, or refresh the list{again}: a meeting that is back can be "
                "edited again.")

    def _after_save(self, result: Meeting | UpdateResult | None) -> None:
        from meettui.tui.screens.confirm import ConfirmScreen

        main = self._main
        if result is None:
            # The meeting may have gone meanwhile (a neighbour takes its row); else the
            # cursor stays on it, not on the list's opening row.
            main.table.reload(keep=main.selected)
            self._details_reread()
            main.update_status()  # its count too ("2 meetings" beside a single row)
            return
        meeting = result.meeting if isinstance(result, UpdateResult) else result
        if isinstance(result, UpdateResult):
            # The detail of the meeting edited shows it as saved: the one that replaced
            # it, when the provider recreated it.
            old = result.replaced_id or meeting.id
            self._details_follow((meeting.account, old), meeting)
        main.table.reload(keep=meeting)
        # Now, not once the cursor rests: a dialog may open over the pane, which must
        # not show the meeting just replaced (its links no longer work).
        main.show_detail(main.selected)
        main.update_status()
        if isinstance(result, UpdateResult) and result.links_changed:
            shareable = meeting.shareable_link()
            if result.warning:
                # In the question that follows, when one does: a toast said before a
                # dialog opens goes as it opens (`MeettuiModal.on_mount`).
                self.app.notify(printable(result.warning), severity="warning", timeout=20,
                                toast=shareable is None)
            if shareable is not None:
                warning = f"\n\n{printable(result.warning)}" if result.warning else ""
                self.app.push_screen(
                    ConfirmScreen(
                        f"Saved {named(meeting.title, meeting.id)} — the links changed",
                        "The old meeting was replaced, so its links no longer work. Copy the "
                        f"new guest link?\n\n{printable(shareable.url)}{warning}",
                        yes="Copy", no="Not now", danger=False,
                    ),
                    lambda ok: main._copy(plain_link(shareable.url), "the new guest link")
                    if ok else None,
                )
                return
        unread = meeting.unread if not isinstance(result, UpdateResult) else \
            result.warning or None
        if unread is not None:
            # Made, but not read back: the row shows it as sent until a refresh.
            self.app.notify(printable(unread), title="Saved, not re-read",
                            severity="warning", timeout=20)
            return
        self.app.notify(f"Saved {quoted(meeting.title)}.")

    def action_delete(self) -> None:
        from meettui.tui.screens.confirm import ConfirmScreen

        main = self._main
        meeting = main._need_selection()
        if meeting is None or self.busy_with(meeting):
            return
        caps = main.service.capabilities_for(meeting)
        mode = caps.delete
        reason = self.read_only(meeting.account)
        if reason is not None:
            self.app.notify(reason, severity="warning")
            return
        if mode == DeleteMode.NONE:
            self.app.notify(caps.delete_note or (
                f"{meeting.account} cannot delete meetings: "
                f"{main.service.display_name(meeting.account)} keeps them."),
                severity="warning")
            return
        if not meeting.missing and already_done(caps, meeting) is not None:
            # Cancelled already: a second cancel would send nothing and say "Cancelled".
            # (Gone upstream, it is only forgotten: there is nothing left to remove.)
            self._offer_removal(meeting)
            return
        words = describe_delete(mode, gone=meeting.missing)
        self.app.push_screen(
            ConfirmScreen(f"{words.verb} {named(meeting.title, meeting.id)}?", words.explain,
                          yes=f"{words.verb} meeting", no="Keep meeting"),
            lambda ok: self._delete(meeting) if ok else None,
        )

    def _offer_removal(self, meeting: Meeting) -> None:
        """`d` on a meeting cancelled already: offer what its provider can still do, the
        action that removes it for good, or say that nothing is left to do."""
        from meettui.tui.screens.confirm import ConfirmScreen

        caps = self._main.service.capabilities_for(meeting)
        hard = caps.removal()
        if hard is None:
            self.app.notify(f"{quoted(meeting.title)} is cancelled already: nothing was changed.",
                            severity="warning")
            return
        self.app.push_screen(
            ConfirmScreen(f"{hard.label}: {named(meeting.title, meeting.id)}?",
                          f"It is cancelled already. {hard.help}", yes=hard.label),
            lambda ok: self._start_action(meeting, hard.name, {}) if ok else None,
        )

    def run_provider_action(self, name: str) -> None:
        """Run a provider action (from the palette) on the selected meeting."""
        from meettui.tui.screens.confirm import ConfirmScreen

        main = self._main
        meeting = main._need_selection()
        if meeting is None or self.busy_with(meeting):
            return
        spec = main.service.capabilities_for(meeting).action(name)
        if spec is None:
            self.app.notify(f"{meeting.account} has no action {name!r}.", severity="warning")
            return
        # A changing action is refused on a read-only account, with how to lift it; one
        # that changes nothing (`ActionSpec.changes`) only while the cache is read-only.
        reason = (self.read_only(meeting.account) if spec.changes
                  else self.cache_read_only())
        if reason is not None:
            self.app.notify(reason, severity="warning")
            return

        if not spec.fields:
            if spec.dangerous:
                self.app.push_screen(
                    # Named as a delete is: "End the running meeting: 'Weekly'?".
                    ConfirmScreen(f"{spec.label}: {named(meeting.title, meeting.id)}?",
                                  spec.help or "This cannot be undone.", yes=spec.label),
                    lambda ok: self._start_action(meeting, name, {}) if ok else None,
                )
            else:
                self._start_action(meeting, name, {})
            return

        from meettui.tui.screens.action import ActionFormScreen

        def submit(form: ActionFormScreen, params: dict) -> None:
            # Run with the form open: a value refused (a host not found, a reason too
            # long) is said at its field, the values kept; the form closed on it, and
            # retrying took five steps.
            def start() -> None:
                form.run(lambda: self._do_action(meeting, name, params))

            if not spec.dangerous:
                start()
                return
            # The question names the meeting, as a delete does, and what was given
            # ("Host: Sami Lindqvist"): the host to remove was in no word of it. "Back"
            # returns to the form as it was left.
            given = form.given(params)
            self.app.push_screen(
                ConfirmScreen(f"{spec.label}: {named(meeting.title, meeting.id)}?",
                              (f"{given}\n\n" if given else "")
                              + (spec.help or "This cannot be undone."), yes=spec.label),
                lambda ok: start() if ok else None,
            )

        self.app.push_screen(ActionFormScreen(spec, meeting, submit=submit))

    def _start_action(self, meeting: Meeting, name: str, params: dict) -> None:
        self.run_worker(self._do_action(meeting, name, params), group=f"action:{meeting.account}",
                        exit_on_error=False, description=f"{name} {meeting.id}")

    async def _do_action(self, meeting: Meeting, name: str, params: dict) -> None:
        main = self._main
        spec = main.service.capabilities_for(meeting).action(name)
        try:
            with self.app.under_way(write_on(f"Running {quoted(spec.label if spec else name)}"
                                             " on", meeting)):
                # (A failure whose outcome is unknown is titled "Maybe done":
                # `failure_title`.)
                try:
                    updated = await main.service.run_action(meeting.account, meeting.id,
                                                            name, params)
                except GoneUpstream:
                    # Marked gone in the cache: the list shows it so at once, as after
                    # a refresh that no longer finds it (then said as any failure).
                    self.post_message(PageLoaded(meeting.account, written=meeting))
                    raise
            if updated.session_data is not None:
                main.session_data[meeting.key] = updated.session_data
        finally:
            # Done, refused or failed: the detail shows what the cache knows now (and
            # the join data the action returned).
            self._details_reread(meeting)
        self.post_message(PageLoaded(meeting.account, written=meeting))
        if updated.unread is not None:
            # Done, but not read back: what only its answer held is not shown.
            self.app.notify(printable(updated.unread),
                            title=f"{spec.label if spec else name}: done, not re-read",
                            severity="warning", timeout=20)
            return
        self.app.notify(f"{spec.label if spec else name}: done for "
                        f"{quoted(updated.title)}.")

    def _delete(self, meeting: Meeting) -> None:
        self.run_worker(self._do_delete(meeting), group=f"delete:{meeting.account}",
                        exit_on_error=False, description=f"delete {meeting.id}")

    async def _do_delete(self, meeting: Meeting) -> None:
        try:
            await self._deleting(meeting)
        finally:
            # Gone, cancelled, or as it was: the detail shows what the cache knows now.
            self._details_reread(meeting)

    async def _deleting(self, meeting: Meeting) -> None:
        main = self._main
        words = describe_delete(main.service.capabilities_for(meeting).delete,
                                gone=meeting.missing)
        try:
            with self.app.under_way(write_on(words.doing, meeting)):
                mode = await main.service.delete(meeting.account, meeting.id)
        except AlreadyDone as exc:
            # Cancelled elsewhere since the list was read: the row shows it now, and the
            # delete key offers what is left (the removal, named as the app names it).
            self.post_message(PageLoaded(meeting.account, written=meeting))
            said = exc.message
            if exc.removal is not None:
                key = main.key_for("meeting.delete")
                said += " " + exc.hint_running(
                    f"press {key} on it ({exc.removal.label})" if key != "?" else
                    f"choose {exc.removal.label!r} in the command palette")
            self.app.notify(printable(said), severity="warning")
            return
        except OutcomeUnknown as exc:
            # "Maybe deleted", "Maybe cancelled": the provider may have done it.
            self.app.report_failure(exc, f"delete {meeting.id}",
                                    title=maybe_done(exc, words.done.split()[0].lower()))
            return
        self.post_message(PageLoaded(meeting.account, written=meeting))
        self.app.notify(f"{describe_delete(mode, gone=meeting.missing).done} "
                        f"{quoted(meeting.title)}.")

    def _details_reread(self, meeting: Meeting | None = None) -> None:
        """The full-screen details of `meeting` (of any meeting, when None) show it as
        the cache has it now, or close when it is gone from the cache."""
        from meettui.tui.screens.detail_screen import DetailScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, DetailScreen) and (
                    meeting is None or screen.meeting.key == meeting.key):
                # A cache that cannot be read (said once) leaves the detail as it is.
                shown: Meeting | None = screen.meeting
                screen.follow(self.app.cache_read(
                    partial(self._main.service.cached, *screen.meeting.key), shown))

    def _details_follow(self, key: tuple[str, str], meeting: Meeting) -> None:
        """The full-screen details of the meeting `key` show `meeting`, what an edit
        made of it."""
        from meettui.tui.screens.detail_screen import DetailScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, DetailScreen) and screen.meeting.key == key:
                screen.follow(meeting)
