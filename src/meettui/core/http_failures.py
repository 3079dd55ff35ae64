"""What the retry loop (`ApiClient.request`, `http.py`) says of a try that got no usable
answer: a request that cannot be sent, a server never reached, an answer lost or late, an
auth flow's own request that failed, a change answered 5xx, a deadline passed. Each
becomes one of meettui's errors, with a message that names the request and a hint that
says whether anything may have been made or changed. Which of them are retried is the
loop's to decide; an answer's status and body are read by `http_errors.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from meettui.core import dryrun
from meettui.core.display import seconds
from meettui.core.errors import (
    AuthError,
    ConfigError,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    RateLimited,
    Unavailable,
    WrongAddress,
    inner_message,
)

if TYPE_CHECKING:
    # Imported when a client is built (ApiClient, `http.py`): reading the cache, an
    # offline command never pays for httpx.
    import httpx

NOT_SENT_HINT = "Nothing was sent, so nothing was made or changed: it is safe to try again."
"""The hint of a change whose auth flow's own request (a token request) failed."""
READ_LOST_HINT = ("The answer was lost on the way; a read changes nothing. The cached list "
                  "still works; try again.")
"""The hint of a read whose answer (or its token request's) was lost."""
READ_TIMEOUT_HINT = ("The provider gave no answer in time; a read changes nothing. The "
                     "cached list still works; try again later.")
"""The hint of a read that got no answer in time: the provider was reached."""
WRITE_TIMEOUT_HINT = ("No answer in time; it may or may not have been saved — refresh to "
                      "check before trying again.")
"""The hint of a change sent that got no answer in time."""


def _auth_request(exc: BaseException, request: httpx.Request) -> httpx.Request | None:
    """The auth flow's own request (a token request) when it is the one `exc` failed
    (httpx notes the failed request on the error), else None: the call `request` itself
    failed, or nothing says which did."""
    try:
        failed = exc.request  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):  # httpx raises RuntimeError when it is unset
        return None
    return failed if failed is not request else None


def _not_sent(where: str, token_request: httpx.Request, what: str) -> str:
    """The message of a call not sent because its auth flow's own request failed
    (`what`: "got no answer within 5 s", "failed: connection problem (…)"); the token
    request is named by method and path only (its query may carry the client's
    credentials). That nothing was made or changed is the hint's to say (a change's
    `NOT_SENT_HINT`; a read's says it changes nothing): said here too, it was read
    twice."""
    return (f"{where} was not sent: its token request "
            f"{token_request.method} {token_request.url.path} {what}")


def cannot_send(exc: Exception, where: str, provider: str) -> ConfigError:
    """A request built wrongly on this machine (httpx's UnsupportedProtocol, InvalidURL,
    LocalProtocolError: a base_url or a secret): no network fault, so no retry, and no
    "try again later"."""
    return ConfigError(
        f"{where} cannot be sent: {type(exc).__name__}: {exc}.", provider=provider,
        hint="Check the account's base_url (an http:// or https:// address) and "
        "that its secrets hold no line breaks.",
    )


def unreached(exc: Exception, request: httpx.Request, where: str, method: str,
              provider: str) -> tuple[Unavailable, bool]:
    """The failure of a try that never reached the server (httpx's ConnectError,
    ConnectTimeout, PoolTimeout), and whether it was the auth flow's own request that
    failed: either way nothing was done, a retry is safe. (The class hint, "could not be
    reached", is said of this case only.)"""
    token_request = _auth_request(exc, request)
    what = f"failed: connection problem ({type(exc).__name__})"
    failure = Unavailable(
        f"{where} {what}" if token_request is None
        else _not_sent(where, token_request, what),
        provider=provider,
        hint=None if token_request is None or method in dryrun.READS
        else NOT_SENT_HINT,
    )
    return failure, token_request is not None


def answer_lost(exc: Exception, request: httpx.Request, where: str, method: str,
                idempotent: bool, provider: str,
                read_timeout: float | None) -> tuple[ProviderError, bool]:
    """The failure of a try sent, then lost (httpx's TransportError; ConnectionError: an
    in-process server that dropped it), or sent and not answered within `read_timeout`:
    either way the provider was reached. With it, whether it was the auth flow's own
    request that failed (then the call itself was never sent).

    Raises OutcomeUnknown for a change not safe to repeat: it may have been made."""
    import httpx

    timed_out = isinstance(exc, httpx.TimeoutException)
    # The read timeout may be what the deadline left (4.87352 s): rounded.
    what = (f"got no answer within {seconds(read_timeout or 0)} s"
            if timed_out else f"failed: connection problem ({type(exc).__name__})")
    read_hint = READ_TIMEOUT_HINT if timed_out else READ_LOST_HINT
    token_request = _auth_request(exc, request)
    failure: ProviderError
    if token_request is not None:
        # The token request's answer was lost: the call itself was never sent
        # (or was refused with a 401 before a new token), so nothing was done.
        failure = Unavailable(
            _not_sent(where, token_request, what), provider=provider,
            hint=read_hint if method in dryrun.READS else NOT_SENT_HINT,
            reached=True)
    elif not idempotent:
        # (What to do, refresh and check, is the hint's.)
        raise OutcomeUnknown(
            f"{where} {what}; it may or may not have been saved" if timed_out
            else f"{where} {what} after it was sent; the answer was lost",
            provider=provider,
        ) from None
    elif method in dryrun.READS:
        failure = Unavailable(f"{where} {what}", provider=provider,
                              reached=True, hint=read_hint)
    else:
        # A change safe to repeat (PUT, DELETE) is tried again; if its last
        # try's answer is lost too, whether it was made is not known either.
        failure = OutcomeUnknown(
            f"{where} {what}", provider=provider,
            hint=WRITE_TIMEOUT_HINT if timed_out
            else "The request was sent but its answer was lost: the provider "
            "may have done it. Refresh to check before trying again.",
        )
    return failure, token_request is not None


def token_request_failed(exc: Unavailable, where: str, method: str,
                         provider: str) -> Unavailable:
    """The failure of a call whose auth flow's own request (an OAuth token endpoint,
    `core/auth_oauth.py`) raised `exc`: the call was not sent. A read keeps what the
    token request's answer says (a 503's hint)."""
    return Unavailable(
        # (Nothing was made or changed: the hint says so, NOT_SENT_HINT.)
        f"{where} was not sent: its {inner_message(exc)}",
        provider=provider, status=exc.status, body=exc.body,
        hint=exc.hint if method in dryrun.READS else NOT_SENT_HINT,
        reached=exc.reached)


def token_request_throttled(exc: RateLimited, where: str, method: str,
                            provider: str) -> RateLimited:
    """The failure of a call whose auth flow's own request (an OAuth token endpoint)
    was throttled (`exc`): the call was not sent. Said as the other token request
    failures are ("GET /meetings was not sent: its token request GET /oauth/v2/token →
    429 …"), the wait it asked for kept (its hint, "Try again in 1 s.") and, for a
    change, the word that nothing was made; it said "token request to http://HOST/…?
    client_id=***&… was throttled (HTTP 429)"."""
    from meettui.core.errors import retry_advice

    wait = retry_advice(exc.retry_after) if exc.retry_after is not None else exc.hint
    return RateLimited(
        f"{where} was not sent: its {inner_message(exc)}", provider=provider,
        status=exc.status, body=exc.body, retry_after=exc.retry_after,
        hint=wait if method in dryrun.READS else f"{wait} {NOT_SENT_HINT}")


def token_request_refused(exc: ProviderError, where: str, method: str,
                          provider: str) -> ProviderError:
    """The failure of a call whose auth flow's own request (an OAuth token endpoint,
    `core/auth_oauth.py`) was refused or answered with no token (`exc`): the call was
    not sent. Of the same kind as `exc` (refused credentials stay an AuthError), with
    its hint, and for a change the word that nothing was made."""
    hint = exc.hint if method in dryrun.READS else f"{exc.hint} {NOT_SENT_HINT}"
    # Refused credentials stay an AuthError, a token endpoint that is not there (a
    # wrong base_url or instance) a WrongAddress: each says what to check.
    kind: type[ProviderError] = (AuthError if isinstance(exc, AuthError)
                                 else WrongAddress if isinstance(exc, WrongAddress)
                                 else ProviderError)
    failure = kind(f"{where} was not sent: its {inner_message(exc)}",
                   provider=provider, status=exc.status, hint=hint)
    failure.body = exc.body
    return failure


def maybe_made(failure: ProviderError, provider: str) -> OutcomeUnknown:
    """What a change answered 5xx (`failure`) is: it may have been done before the
    server failed."""
    return OutcomeUnknown(
        f"{inner_message(failure)}; the change may have been made before "
        "the server failed",
        provider=provider, status=failure.status, body=failure.body,
    )


def out_of_time(failure: ProviderError, where: str, deadline: float,
                provider: str) -> ProviderError:
    """What a request that got no good answer within its `deadline` is, `failure` being
    what its last try met."""
    message = (f"{where} got no good answer within {seconds(deadline)} s; "
               f"{_last_try(inner_message(failure), where)}")
    # What the last try met decides what to do (a 503, no answer in time), and
    # whether the change may have been made.
    if isinstance(failure, OutcomeUnknown):
        return OutcomeUnknown(message, provider=provider, status=failure.status,
                              body=failure.body, hint=failure.hint)
    return Unavailable(
        message, provider=provider, status=failure.status, body=failure.body,
        hint=failure.hint,
        reached=isinstance(failure, Unavailable) and failure.reached,
    )


def _last_try(failure: str, where: str) -> str:
    """What the last try of `where` met, as the end of a sentence that began with the
    request: "the last try got no answer within 15 s", "… was answered 503: Service
    Unavailable"; `failure` is that try's message (`inner_message`), which names the
    request again, so the request is not said twice."""
    rest = failure.removeprefix(f"{where} ")
    if rest == failure:
        return f"the last try: {failure}"
    if rest.startswith("→ "):  # `ErrorMap.error_for`: "GET /x → 503: Service Unavailable"
        return f"the last try was answered {rest[2:]}"
    return f"the last try {rest}"


def list_not_found(exc: NotFound) -> WrongAddress:
    """What a 404 or 410 (`exc`) to a request for the list of meetings is: no meeting
    is missing, the list itself is not where the account's settings point (a base_url,
    an instance, an event). It read as "It may have been deleted or expired upstream;
    refresh the list", and left the account "ok"."""
    return WrongAddress(
        f"{inner_message(exc)}: the provider has no list of meetings at the account's "
        "address", provider=exc.provider, status=exc.status, body=exc.body)
