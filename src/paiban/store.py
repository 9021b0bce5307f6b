"""Files paiban writes: one way to write them atomically, one key for "made by this code", one
small JSON cache.

Every file paiban writes (the PDF, converted fonts and their metrics, compressed font programs,
charts, remembered line breaks and word segmentation) goes through `write_atomically`, so a
reader sees the old file or the new one, never half of one, and an interrupt or a full disk
leaves no temporary file behind. The policy is the same everywhere:

- outputs the editor asked for (`write_atomically`): an OSError is raised, the caller reports it;
- caches (`save_cache`, `JsonCache.save`): an OSError is no error at all (the next build makes
  the cache again) and the write is reported as not done.

Temporary files are named before they exist (`.NAME.PID-RANDOM.tmp` beside the target): Ctrl-C or
SIGTERM between creating a file and learning its name (as with mkstemp) would leave it behind. A
process killed outright (SIGKILL, a power cut) cannot clean up, so the next write of NAME removes
the `.NAME.*.tmp` files whose process is gone or that are older than `STALE_SECONDS`.

Only regular files are replaced: a FIFO, a device or a folder at the target is refused (as root,
`-o /dev/full` would otherwise replace the device). Files are read back the same careful way
(`read_regular`): regular files only, never blocking on a FIFO, at most a stated number of bytes,
so neither a spec nor a cache can be /dev/zero.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import secrets
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Generic, TypeVar

T = TypeVar("T")

TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 3600  # a temporary file this old is a crashed run's, whatever its pid says


class NotRegular(OSError):
    """The path is a FIFO, a device, a socket or a folder: paiban reads and replaces regular files only."""


class TooLarge(OSError):
    """The file holds more than the bytes allowed."""


def kind_of(mode: int) -> str:
    """'a FIFO', 'a device', … for a message, from a stat mode."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Opened without blocking (a FIFO would wait for a writer forever) and checked with fstat on the
    open file (no race between a check and the open); at most `limit + 1` bytes are read, so
    the cap holds whatever `st_size` says (/dev/zero says 0). `follow=False` refuses a symlink
    (caches: a link in a cache folder is never what paiban wrote).
    Raises NotRegular, TooLarge or another OSError.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegular(0, kind_of(mode), str(path))
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(0, f"more than {limit} bytes", str(path))
    return data


def check_replaceable(target: Path) -> None:
    """Raise NotRegular when `target` exists and is not a regular file (or a link to one)."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError:
        return  # a dangling link, a loop: os.replace replaces the link itself
    if not stat.S_ISREG(mode):
        raise NotRegular(0, kind_of(mode), str(target))


_HELD = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")
         if hasattr(signal, n)}


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGUSR1/2 for a few statements that must not be cut in
    half; they are delivered (and raise) right after. A no-op where the platform or thread cannot
    do it."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def temp_name(target: Path) -> Path:
    """The temporary file a write of `target` goes through: hidden, beside it, random."""
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}{TEMP_SUFFIX}"


def remove_stale_temps(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files of earlier writes of `target` that will never finish: those of
    a process that no longer runs, and any older than STALE_SECONDS. Returns what was removed."""
    prefix = f".{target.name}."
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(TEMP_SUFFIX)):
            continue
        middle = name[len(prefix):-len(TEMP_SUFFIX)]
        if "." in middle:  # .NAME.x.y.tmp is the temp of another file (NAME.x)
            continue
        path = target.parent / name
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        pid_text = middle.split("-", 1)[0]
        pid = int(pid_text) if pid_text.isdigit() and "-" in middle else None
        if now - st.st_mtime < STALE_SECONDS and (pid is None or pid == os.getpid() or _alive(pid)):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _new_file_mode(target: Path) -> int:
    """The permissions the file would have had if written directly: the old file's, else
    rw for all less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


#: The outputs (PDFs) this process has replaced: an interrupt that lands after one was written
#: must not say "no PDF written" (the CLI reads it when it reports the interrupt).
OUTPUTS_WRITTEN: list[Path] = []


def write_atomically(target: Path, content: bytes | str | Callable[[Path], None], *,
                     mode: int | None = None, output: bool = False) -> None:
    """Write `content` (bytes, text as UTF-8, or a function that writes the file at the path it is
    given) to `target` via a temporary file moved over it only when complete.

    `mode`: the new file's permissions; by default the old file's, else the umask's. `output`:
    the file is what the command makes (the PDF): once it is in place it is in OUTPUTS_WRITTEN.
    Raises OSError (NotRegular when the target is a FIFO, a device or a folder); whatever
    happens, no temporary file is left.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    check_replaceable(target)
    remove_stale_temps(target)
    tmp = temp_name(target)
    created = False
    try:
        with signals_held():
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            created = True
        if callable(content):
            os.close(fd)
            content(tmp)
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(tmp, _new_file_mode(target) if mode is None else mode)
        check_replaceable(target)  # again: the folder may have changed while the file was made
        with signals_held():  # the move and its record are one step: an interrupt comes after both
            os.replace(tmp, target)
            created = False
            if output:
                OUTPUTS_WRITTEN.append(target)
    finally:
        if created:
            with signals_held():
                tmp.unlink(missing_ok=True)


def prune(folder: Path, pattern: str, keep: int) -> list[Path]:
    """Remove all but the `keep` most recently used files matching `pattern` in a cache folder.

    Only in a real folder (never through a symlinked one: its files are not paiban's) and only
    regular files (a link in it is left alone). Errors (another build pruning too) are no matter.
    """
    removed: list[Path] = []
    try:
        if folder.is_symlink() or not folder.is_dir():
            return removed
        found = []
        for f in folder.glob(pattern):
            st = os.lstat(f)
            if stat.S_ISREG(st.st_mode):
                found.append((st.st_mtime_ns, f))
    except OSError:
        return removed
    found.sort(reverse=True)
    for _, f in found[keep:]:
        try:
            f.unlink()
            removed.append(f)
        except OSError:
            pass
    return removed


def save_cache(target: Path, content: bytes | str) -> bool:
    """Write a cache file (readable by the project's other users, 0644); False when the folder
    cannot be written, which is never an error: the next build makes the cache again."""
    try:
        write_atomically(target, content, mode=0o644)
    except OSError:
        return False
    return True


_notes: list[str] = []


def note_ignored(path: Path | str, why: str = "not what paiban writes") -> None:
    """Remember that a cache file was ignored (it is made again); `paiban -v` prints these."""
    line = f"ignored cache file {path}: {why}; made again"
    if line not in _notes and len(_notes) < 100:
        _notes.append(line)


def take_notes() -> list[str]:
    """The notes of ignored cache files since the last call."""
    out = list(_notes)
    _notes.clear()
    return out


class JsonCache(Generic[T]):
    """A small JSON file that remembers work between builds.

    `check` turns what was read into the cache's value, or None when it is not what this code
    writes (hand-edited, torn, from another version): such a file is ignored and made again.
    """

    def __init__(self, path: Path | None, check: Callable[[Any], T | None], empty: Callable[[], T],
                 limit: int = 64 * 1024 * 1024):
        self.path = path
        self.limit = limit
        self._check = check
        self._empty = empty

    def load(self) -> T:
        if self.path is None:
            return self._empty()
        try:
            raw = json.loads(read_regular(self.path, self.limit, follow=False))
            value = self._check(raw)
        except FileNotFoundError:
            return self._empty()
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
            note_ignored(self.path, getattr(exc, "strerror", None) or type(exc).__name__)
            value = None
        else:
            if value is None:
                note_ignored(self.path)
        return self._empty() if value is None else value

    def save(self, value: Any, **dumps: Any) -> bool:
        if self.path is None:
            return False
        try:
            text = json.dumps(value, **dumps)
        except (TypeError, ValueError):
            return False
        return save_cache(self.path, text)


def code_digest(*sources: ModuleType | Path, salt: bytes = b"") -> str:
    """A digest of source files (modules or paths, in the order given), for cache keys: what a
    cache holds was made by this code, and an edit of it is a new key. A source that cannot be
    read gives a key never seen again (nothing is reused)."""
    files = tuple(Path(s.__file__ or "") if isinstance(s, ModuleType) else Path(s) for s in sources)
    return _digest_files(files, salt)


@functools.cache
def _digest_files(files: tuple[Path, ...], salt: bytes) -> str:
    h = hashlib.sha256(salt)
    for path in files:
        h.update(path.name.encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(secrets.token_bytes(16))
    return h.hexdigest()


def package_sources(folder: Path, *, exclude: Iterable[str] = ()) -> tuple[Path, ...]:
    """The .py files of a package folder, sorted, for `code_digest`."""
    skip = set(exclude)
    return tuple(p for p in sorted(folder.glob("*.py")) if p.name not in skip)


SOURCES_FILE = "sources.json"
_file_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path, memo_dir: Path | None = None) -> str:
    """SHA-256 of a file's content, remembered per process by (path, size, mtime) and, with
    `memo_dir`, across builds in `memo_dir/sources.json`: a 25 MB font collection is read once,
    and hashing the chart faces' files was 2% of every warm build."""
    st = os.stat(path)
    memo_key = (str(path), st.st_size, st.st_mtime_ns)
    digest = _file_digests.get(memo_key)
    if digest is not None:
        return digest
    memo = JsonCache(memo_dir / SOURCES_FILE if memo_dir is not None else None, _sources_check, dict)
    known = memo.load()
    entry = known.get(str(path))
    if entry is not None and entry[:2] == [st.st_size, st.st_mtime_ns]:
        digest = entry[2]
    else:
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        known[str(path)] = [st.st_size, st.st_mtime_ns, digest]
        memo.save(known, ensure_ascii=False, indent=0)
    _file_digests[memo_key] = digest
    return digest


def _sources_check(raw: Any) -> dict[str, list[Any]] | None:
    """sources.json: {path: [size, mtime_ns, sha256 hex]}; entries of any other shape dropped."""
    if not isinstance(raw, dict):
        return None
    return {k: v for k, v in raw.items()
            if isinstance(k, str) and isinstance(v, list) and len(v) == 3 and isinstance(v[0], int)
            and isinstance(v[1], int) and isinstance(v[2], str) and len(v[2]) == 64}
