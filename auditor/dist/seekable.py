"""A read-only, seekable raw stream's protocol, shared by the remote readers (``net/lazy_wheel.py``, ``dist/inflate.py``)."""

from __future__ import annotations

import io


class SeekableRaw(io.RawIOBase):
    """``io.RawIOBase`` over a position ``self.pos`` and a length ``self.size`` (bytes; None: not known, so
    ``SEEK_END`` counts from 0).  Subclasses set both and implement ``read``."""

    pos: int = 0
    size: int | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def readinto(self, buffer) -> int:  # pragma: no cover - zipfile and pyelftools use read()
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size or 0}[whence]
        self.pos = max(0, base + offset)
        return self.pos
