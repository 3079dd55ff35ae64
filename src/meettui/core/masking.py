"""How secrets are masked wherever meettui shows them: host links (`Link.masked`) and
the secret values of join data (`SessionData.masked`). Plain Python, apart from the
models, so that the quick `list --offline` (`core/quicklist.py`) masks links by the very
same rule as the documents built from the models."""

from __future__ import annotations

import re
from typing import Any

SECRET_MASK = "••••••••"
"""What stands in for a secret value (and for the path of a masked link)."""


def mask_url(url: str) -> str:
    """Keep enough of a link to recognise it (scheme and host), hide what grants power
    (path, query, fragment): `https://host/••••••••`; only the mask for a text that is
    no URL."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return SECRET_MASK
    host, _, _ = rest.partition("/")
    return f"{scheme}://{host}/{SECRET_MASK}"


def masked_url(url: str, sensitive: bool) -> str:
    """A link's URL as shown unless revealed: masked when the link is `sensitive` (a
    host link, or one carrying a token), as it is otherwise."""
    return mask_url(url) if sensitive else url


# A URL in running text, up to the first space, quote or angle bracket; the punctuation
# that ends a sentence after it is not its own.
_URL_IN_TEXT = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s\"'<>]+?(?=[.,;:!?)\]]*(?:[\s\"'<>]|$))")


def mask_urls(text: str) -> str:
    """`text` with every URL in it masked as a host link is (`mask_url`): for a record
    of what the screen said (the log), which must hold no host link, revealed or not
    (a link copied by hand from a toast is one), whatever provider's shape it has."""
    return _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), text)


def mask_keys(value: Any, keys: frozenset[str]) -> Any:
    """`value` (JSON-like data) with every non-empty value under one of `keys`, at any
    depth, replaced by SECRET_MASK."""
    if isinstance(value, dict):
        return {k: (SECRET_MASK if k in keys and v not in (None, "") else mask_keys(v, keys))
                for k, v in value.items()}
    if isinstance(value, list):
        return [mask_keys(v, keys) for v in value]
    return value
