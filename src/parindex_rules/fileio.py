"""Writing files so that a failure halfway never leaves a partial file behind.

Content goes to a temporary file in the same folder, is flushed to disk, then renamed over the
target in one step (atomic on POSIX and on Windows for same-volume renames). The file keeps
the permissions the previous one had (a new file gets the usual ones, after the umask), and a
write that fails is a diagnostic (PR890) naming the file, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import TextIO

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError

register_codes(
    Code(
        "PR890",
        "write-failed",
        Severity.ERROR,
        "An output file cannot be written; the previous file, if any, is left as it was.",
    ),
)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write `data` to `path` atomically; the previous file stays intact if anything fails.

    Raises :class:`DiagnosticError` (PR890) when the file cannot be written.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(target)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise write_failed(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise write_failed(target, exc) from None
        raise


def _mode_for(target: Path) -> int:
    """The previous file's permissions, or those of a new file under the current umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_failed(target: Path, exc: OSError) -> DiagnosticError:
    """The diagnostic (PR890) for a file or folder that could not be written."""
    reason = exc.strerror or str(exc)
    blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        reason = f"{blocking} is a file, not a folder"
    return DiagnosticError(
        [
            Diagnostic.make(
                "PR890",
                f"cannot write {target}: {reason}; nothing was changed",
                file=str(target),
                hint="check the folder exists and can be written, and that the disk is not full",
            )
        ]
    )


def discard_unwritten(stream: TextIO) -> None:
    """Point a stream that failed to write (stdout on a full disk) at the null device, so that
    what it still holds is dropped at exit instead of failing again there ("Exception ignored"
    and exit status 120). Streams without a file (tests' StringIO) are left as they are."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
