"""The list's rows in blocks, read by key (`cache_window.py`) and kept while they are
used, so a screenful needs no query and a million rows cost what ten do.

Block `b` holds rows `b·size … b·size+size-1`. It is read from the known row nearest
to it: the last row of the block before it (`> key`), the first row of the block
after it (`< key`, read backwards), the row the cursor was put on (`pin`), or either
end (the last block is read backwards from the end). A block next to a known one is
read with nothing skipped; only a jump far from everything known (a click on the
scrollbar) skips rows, and then the fewest it can.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from meettui.core.cache_window import Key, StoredRow
from meettui.core.models import Meeting

ReadRows = Callable[["Read"], "list[StoredRow] | None"]
"""Reads rows as `Read` says (`Cache.stored_rows` with the view's accounts, query,
order); each row's meeting is decoded when first shown. None: the rows cannot be read
now (the cache is busy), and are asked for again the next time they are shown."""


@dataclass(frozen=True)
class Read:
    """One read: up to `limit` rows after `anchor` (None: the start), or before it with
    `backward` (None: the end), `inclusive` of the anchor's row, `skip` rows passed
    over first. Rows come back in list order."""

    anchor: Key | None
    backward: bool
    limit: int
    skip: int = 0
    inclusive: bool = False


class RowBlocks:
    """Rows of a list of `count` rows, fetched through `read` a block of `size` at a
    time; at most `keep` blocks are held (the least recently used go)."""

    def __init__(self, read: ReadRows, *, size: int = 128, keep: int = 24) -> None:
        self._read = read
        self.size = size
        self.keep = keep
        self.count = 0
        self._blocks: OrderedDict[int, list[StoredRow]] = OrderedDict()
        self._pin: tuple[int, Key] | None = None
        self.reads: deque[Read] = deque(maxlen=64)
        """The latest reads (what a test checks: nothing skipped)."""

    def reset(self, count: int, pin: tuple[int, Key] | None = None) -> None:
        """Forget every row: the list now has `count` rows, and `pin` (index, key) is
        a row known to be there (the one the cursor follows), read around first."""
        self.count = count
        self._blocks.clear()
        self._pin = pin
        self.reads.clear()

    def meeting(self, index: int) -> Meeting | None:
        """The meeting on row `index`; None outside the list, or for a row that no
        longer reads (a payload another version wrote) or is gone since the count."""
        if not 0 <= index < self.count:
            return None
        number, offset = divmod(index, self.size)
        block = self._blocks.get(number)
        if block is None:
            block = self._fetch(number)
            if block is None:
                return None  # not kept: read again when next shown
            self._blocks[number] = block
            while len(self._blocks) > self.keep:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        return block[offset][1].meeting() if offset < len(block) else None

    def _fetch(self, number: int) -> list[StoredRow] | None:
        start = number * self.size
        end = min(self.count, start + self.size)
        if self._pin is not None and start <= self._pin[0] < end:
            index, key = self._pin
            before = self._get(Read(key, True, index - start)) if index > start else []
            after = self._get(Read(key, False, end - index, inclusive=True))
            return None if before is None or after is None else before + after
        # (skip, read): from the start, from the end, and from each known row.
        options = [(start, Read(None, False, end - start, start)),
                   (self.count - end, Read(None, True, end - start, self.count - end))]
        for index, key in self._known():
            if index < start:
                skip = start - index - 1
                options.append((skip, Read(key, False, end - start, skip)))
            elif index >= end:
                skip = index - end
                options.append((skip, Read(key, True, end - start, skip)))
        return self._get(min(options, key=lambda option: option[0])[1])

    def _known(self) -> list[tuple[int, Key]]:
        """Rows whose place and key are known: each held block's first and last, and
        the pin."""
        out = [self._pin] if self._pin is not None else []
        for number, rows in self._blocks.items():
            if rows:
                out.append((number * self.size, rows[0][0]))
                out.append((number * self.size + len(rows) - 1, rows[-1][0]))
        return out

    def _get(self, read: Read) -> list[StoredRow] | None:
        self.reads.append(read)
        return self._read(read) if read.limit > 0 else []
