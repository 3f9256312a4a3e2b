"""The result cache: a repeated, identical audit answered with one file read.

The warm path of ``auditor audit`` is dominated by imports (networkx,
requests, requests-cache: about 0.6 s on a 2-core machine) and by building
the graph again from memoized facts.  When the same command is run again on
the same input within :data:`RESULT_TTL` seconds, the rendered report of the
first run is written again instead, with the same exit code and the same
stderr summary, and nothing heavier than this module is imported.

The key (SHA-256) covers everything the report depends on:

* auditor's version and its own files (:func:`code_fingerprint`: the size and modification
  time of every file of the installed ``auditor`` package, so an editable checkout whose code
  changed, or a reinstall of the same version, is never answered by the old code's report);
* the command, format and render options;
* the whole :class:`~auditor.config.Config` (its ``repr``: tokens appear only
  as ``Secret('***')``, i.e. whether one is set, never their value);
* ``SOURCE_DATE_EPOCH`` (the clock the report shows);
* the input file's bytes, and the size and modification time of every file
  in its directory but the report's own ``--output`` (``-r``/``-c`` includes
  and local projects usually live there), plus the ``--weights`` file's bytes;
* with Hugging Face Hub references: the ``--model``/``--dataset`` options and the
  ``models``/``datasets`` of the configuration file are in the Config; the files
  ``--scan`` reads (resolved path and bytes) and the ``--hf-cache`` listing (repositories,
  snapshot revisions, refs, corrupted entries) enter as one digest made by the CLI
  (``auditor/sources/hub_scan.py::inputs_digest``); such a result lives at most as long as
  a memoized Hub fact (``auditor/net/hub.py::TTL``, a day, so in practice :data:`RESULT_TTL`).

Not cached: reports larger than :data:`MAX_TEXT_BYTES`, environment audits (``--env``/``--python``: the environment
changes without a file changing), ``--conda-prefix`` audits, ``--osv-db`` audits, ``--no-cache`` runs, and
Hub audits whose scanned files or cache cannot be read for the key.
A cached report is the first run's, byte for byte: its ``generated_at`` is
when its facts were gathered.  :data:`RESULT_TTL` equals the negative
cache's lifetime (:data:`auditor.net.hosts.NEGATIVE_TTL`), so an
``unknown (… unreachable)`` is not repeated after the host could be asked
again; the HTTP and resolution caches still decide freshness for the next
full run.  At most :data:`MAX_ENTRIES` results are kept (oldest dropped).

Why the key is the input and not the resolved set: within :data:`RESULT_TTL`
a full run would resolve the same input to the same set anyway (the
resolution cache keeps a resolution for an hour), and every fact the report
used lives at least as long (index pages an hour, PyPI projects a day,
release metadata forever) except the negative cache's five minutes, which
is exactly :data:`RESULT_TTL`.  So a stored result is never staler than the
full run it replaces; tying its lifetime to each fact's own freshness would
only lengthen it where no host was unreachable, and is left undone.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from auditor.atomic import replace_file

#: Subdirectory of ``Config.cache_dir`` holding results.
RESULTS_DIR = "results-v1"
#: Seconds a result is reused (the negative cache's lifetime).
RESULT_TTL = 300.0
#: Results kept at most; the oldest are deleted beyond that.
MAX_ENTRIES = 64
#: Largest report stored (UTF-8 bytes); a larger one is not kept: the CLI streams it into its
#: ``-o`` file and would otherwise hold it in memory again (10,000 packages: about 40 MB of JSON).
MAX_TEXT_BYTES = 8 * 1024 * 1024
#: Files of the input's directory whose size and mtime enter the key, at most (beyond: no caching).
MAX_SIBLINGS = 500


@dataclass(frozen=True)
class CachedResult:
    """A stored answer: the rendered report, the exit code and the stderr lines."""

    text: str
    exit_code: int
    stderr: tuple[str, ...]
    written: float


#: Largest input or ``--weights`` file hashed into a key (bytes); larger inputs are not cached.
MAX_KEY_FILE_BYTES = 64 * 1024 * 1024


_FINGERPRINT: list[str] = []


def code_fingerprint(root: Path | None = None) -> str:
    """A digest of auditor's own files: the relative path, size and modification time (ns) of
    every file under the ``auditor`` package directory (or *root*), ``__pycache__`` left out.
    The package's is computed once a process (~200 ``stat`` calls, a few milliseconds)."""
    if root is None and _FINGERPRINT:
        return _FINGERPRINT[0]
    top = root or Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            h.update(f"{os.path.relpath(path, top)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "replace"))
    if root is None:
        _FINGERPRINT.append(h.hexdigest())
    return h.hexdigest()


def result_key(parts: Iterable[Any], input_path: Path | None, extra_files: Iterable[Path] = (),
               exclude: Iterable[Path | None] = ()) -> str | None:
    """The cache key, or None when this input must not be answered from the cache.

    Args:
        parts: strings (or reprs) that select the report: version, command,
            options, ``repr(config)``.
        input_path: the audited file (None: an environment, not cacheable).
        extra_files: other files whose bytes the report depends on (``--weights``).
        exclude: files of the input's directory left out of the key (the
            report's own ``--output``, which each run rewrites).
    """
    if input_path is None:
        return None
    h = hashlib.sha256()

    def regular_bytes(p: Path) -> bytes:
        # Only a regular file of bounded size is read: a FIFO, a device or a huge file is never
        # opened here (the source refuses it with its own error); such an input is not cached.
        st = os.stat(p)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_KEY_FILE_BYTES:
            raise OSError(f"{p}: not a regular file of at most {MAX_KEY_FILE_BYTES} bytes")
        return p.read_bytes()

    h.update(code_fingerprint().encode() + b"\0")
    for part in parts:
        h.update(repr(part).encode("utf-8", "replace") + b"\0")
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode() + b"\0")
    try:
        path = Path(input_path).resolve()
        h.update(str(path).encode() + b"\0" + regular_bytes(path) + b"\0")
        skip = {Path(p).resolve() for p in exclude if p is not None}
        siblings = sorted((e for e in os.scandir(path.parent) if Path(e.path).resolve() not in skip),
                          key=lambda e: e.name)
        if len(siblings) > MAX_SIBLINGS:
            return None
        for entry in siblings:
            if entry.is_file(follow_symlinks=True):
                st = entry.stat()
                h.update(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "replace"))
        for extra in extra_files:
            h.update(regular_bytes(Path(extra)) + b"\0")
    except OSError:
        return None
    return h.hexdigest()


class ResultCache:
    """Stored results in ``cache_dir / RESULTS_DIR``, one JSON file per key.

    Failures never raise: a result that cannot be read or written is a miss.
    """

    def __init__(self, cache_dir: Path, now=time.time):
        self.dir = Path(cache_dir) / RESULTS_DIR
        self._now = now

    def get(self, key: str, ttl: float = RESULT_TTL) -> CachedResult | None:
        """The stored result for *key* while younger than *ttl* seconds (at most :data:`RESULT_TTL`), else None."""
        path = self.dir / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            result = CachedResult(str(data["text"]), int(data["exit_code"]), tuple(map(str, data["stderr"])),
                                  float(data["written"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not 0 <= self._now() - result.written < min(ttl, RESULT_TTL):
            return None
        return result

    def put(self, key: str, text: str, exit_code: int, stderr: Iterable[str]) -> None:
        """Store a result (atomically) and drop the oldest beyond :data:`MAX_ENTRIES`."""
        body = {"text": text, "exit_code": int(exit_code), "stderr": list(stderr), "written": self._now()}
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            replace_file(self.dir / f"{key}.json", json.dumps(body).encode("utf-8"))
            files = sorted(self.dir.glob("*.json"), key=lambda p: p.stat().st_mtime)
            for old in files[:-MAX_ENTRIES]:
                old.unlink(missing_ok=True)
        except OSError:
            pass
