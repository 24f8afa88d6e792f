"""Walk a corpus directory and turn each file into articles or rejections.

Supported: ``.html``/``.htm`` pages, ``.txt`` articles, ``.jsonl`` records, each optionally
gzip-compressed (``.gz``). Anything else, and anything unreadable, becomes a ``Rejection``
with the path and the reason; one bad file never stops the rest.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from search.ingest.article import Article, Rejection
from search.ingest.clean import clean_html, clean_record, clean_text
from search.ingest.safe import safe_name, safe_text

# A press release is a few KB and a saved page rarely over 1 MB: an HTML or text file over
# 10 MiB (after decompression) is not one article. A JSONL export holds many releases, so it may
# reach 1 GiB (after decompression; read line by line, never whole), but each record is held to
# MAX_RECORD_BYTES. A file with more than MAX_REJECTIONS bad records is read no further: one
# summarising rejection stands for the rest. The limits also stop gzip bombs.
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
MAX_JSONL_BYTES = 1024 * 1024 * 1024
MAX_RECORD_BYTES = 2 * 1024 * 1024
MAX_REJECTIONS = 1000

KINDS = {".html": "html", ".htm": "html", ".txt": "text", ".jsonl": "jsonl"}


class BadFile(Exception):
    """Raised with a human-readable reason when a file cannot be used."""


def kind_of(path: Path) -> str | None:
    """The article format of ``path`` by its suffix (``html``, ``text``, ``jsonl``) or None."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return KINDS.get(suffixes[-1]) if suffixes else None


def iter_corpus_files(root: Path, errors: list[OSError] | None = None) -> Iterator[Path]:
    """Every file under ``root`` (or ``root`` itself), sorted, hidden ones skipped.

    A folder that cannot be listed is added to ``errors``. A symbolic link to a file of the
    corpus itself is skipped (that file is read under its own path); other links are given
    under their own path, dangling ones and loops too, for the reader to report.
    """
    if not root.is_dir():
        yield root
        return
    top = _resolved(root)
    for dirpath, dirnames, filenames in os.walk(root, onerror=_on_error(errors)):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not name.startswith(".") and not (path.is_symlink() and _alias(path, top)):
                yield path


def _on_error(errors: list[OSError] | None) -> Callable[[OSError], None] | None:
    return errors.append if errors is not None else None


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return None


def _alias(link: Path, top: Path | None) -> bool:
    """True when ``link`` points to a regular, visible file inside the corpus ``top``."""
    target = _resolved(link)
    if target is None or top is None or not target.is_file() or not target.is_relative_to(top):
        return False
    return not any(part.startswith(".") for part in target.relative_to(top).parts)


def unreadable_folders(errors: list[OSError], root: Path) -> list[Rejection]:
    """Rejections for the folders ``iter_corpus_files`` could not list."""
    out = []
    for exc in errors:
        where = relative_id(Path(exc.filename), root) if exc.filename else safe_name(str(root))
        out.append(Rejection(where + "/", f"cannot read folder: {exc.strerror or exc}"))
    return out


def read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """The file's content, decompressed when it ends in ``.gz``, at most ``limit`` bytes."""
    size = path.stat().st_size
    if size == 0:
        raise BadFile("empty file")
    if size > limit:
        raise BadFile(f"file too large ({size} bytes, limit {limit})")
    raw = path.read_bytes()
    return decompress(raw, limit) if path.suffix.lower() == ".gz" else raw


def decompress(raw: bytes, limit: int) -> bytes:
    """Gzip ``raw`` (every member) decompressed, at most ``limit`` bytes, else ``BadFile``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            data = fh.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise BadFile(f"not a readable gzip file ({exc})") from exc
    if len(data) > limit:
        raise BadFile(f"decompressed content larger than {limit} bytes")
    if not data:
        raise BadFile("empty file (after decompression)")
    return data


def looks_binary(data: bytes) -> bool:
    """True for content that is not text: NUL bytes or a known binary signature."""
    head = data[:4096]
    return b"\x00" in head or head.startswith(
        (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK")
    )


def decode(data: bytes) -> str:
    """Decode text: UTF-8 (with or without BOM) first, else the detected charset."""
    if looks_binary(data):
        raise BadFile("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = _guess_encoding(data[:200_000])
    if best is None:
        raise BadFile("unknown text encoding")
    try:
        return data.decode(best)
    except (UnicodeDecodeError, LookupError) as exc:
        raise BadFile(f"cannot decode as {best}") from exc


# Among equally good guesses, Western European wins: the HTML standard also reads Latin-1
# labelled text as windows-1252, and charset detection cannot tell short texts apart.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")


def _guess_encoding(data: bytes) -> str | None:
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    tied = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    return next((enc for enc in _PREFERRED if enc in tied), best.encoding)


def relative_id(path: Path, root: Path) -> str:
    """The path of ``path`` relative to the corpus root, with forward slashes, made safe.

    Lexical, not resolved: a symbolic link is named by its own path, and resolving a link
    loop would raise. Undecodable bytes and controls in names become ``\\xNN`` escapes.
    """
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return safe_name(rel.as_posix() if str(rel) != "." else path.name)


def load_file(path: Path, root: Path) -> list[Article | Rejection]:
    """Clean one corpus file into its articles, or the rejections that explain why not."""
    rel = relative_id(path, root)
    kind = kind_of(path)
    if kind is None:
        return [Rejection(rel, f"unsupported file type {''.join(path.suffixes) or '(none)'!r}")]
    if kind == "jsonl":
        return list(load_jsonl(path, rel))
    try:
        text = decode(read_bytes(path, MAX_ARTICLE_BYTES))
        if not text.strip():
            raise BadFile("no text content")
        if kind == "html":
            if "<" not in text[:4096]:
                raise BadFile("not HTML (no markup found)")
            return [clean_html(text, id=rel, path=rel)]
        return [clean_text(text, id=rel, path=rel)]
    except BadFile as exc:
        return [Rejection(rel, str(exc))]
    except OSError as exc:
        return [Rejection(rel, read_error(path, exc))]
    except Exception as exc:  # a parser bug must not stop the corpus: report it instead
        return [Rejection(rel, f"cannot parse: {type(exc).__name__}: {exc}")]


def load_records(text: str, rel: str, first_line: int = 1) -> Iterator[Article | Rejection]:
    """The articles of JSON Lines ``text`` from file ``rel``, whose first line is ``first_line``.

    ``first_line`` lets a caller that splits a large file into chunks keep the file's line
    numbers in ids and rejections.
    """
    # Split on "\n" only: str.splitlines() would also break on U+2028 or U+0085 inside strings.
    for lineno, line in enumerate(text.split("\n"), start=first_line):
        if line.strip():
            yield parse_record(rel, lineno, line)


def load_jsonl(path: Path, rel: str) -> Iterator[Article | Rejection]:
    """The articles of a JSON Lines file, streamed line by line, within the stated limits."""
    rejected = lineno = 0
    try:
        for lineno, line, _ in jsonl_lines(path):
            item = parse_record(rel, lineno, line)
            if isinstance(item, Rejection):
                rejected += 1
                if rejected > MAX_REJECTIONS:
                    yield Rejection(rel, too_many_rejections(lineno))
                    return
            yield item
    except (BadFile, OSError) as exc:
        yield _unreadable(path, rel, lineno, exc)


def _unreadable(path: Path, rel: str, lineno: int, exc: BadFile | OSError) -> Rejection:
    """Why a JSON Lines file could not be read past line ``lineno`` (0: not at all)."""
    if isinstance(exc, BadFile):
        return Rejection(f"{rel}:{lineno + 1}" if lineno else rel, str(exc))
    return Rejection(rel, read_error(path, exc))


def read_error(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be read, in words (a dangling link or a link loop said as such)."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return "broken symbolic link (its target does not exist)"
    return f"cannot read: {exc.strerror or exc}"


def jsonl_chunks(
    path: Path, rel: str, size: int
) -> Iterator[tuple[list[tuple[int, bytes | None]], int] | Rejection]:
    """A JSON Lines file in chunks of ``size`` lines, each with the bytes it took on disk.

    Streamed: one chunk in memory at a time. When the file cannot be read to its end, the
    chunks read so far come first, then a rejection that says why.
    """
    lines: list[tuple[int, bytes | None]] = []
    lineno = done = 0
    bad: Rejection | None = None
    try:
        for lineno, line, pos in jsonl_lines(path):
            lines.append((lineno, line))
            if len(lines) >= size:
                yield lines, pos - done
                lines, done = [], pos
    except (BadFile, OSError) as exc:
        bad = _unreadable(path, rel, lineno, exc)
    if lines:
        yield lines, 0
    if bad:
        yield bad


def too_many_rejections(lineno: int) -> str:
    """The reason of the one rejection that stands for the rest of a file with many bad records."""
    return f"more than {MAX_REJECTIONS} records rejected: not read past line {lineno}"


def jsonl_lines(path: Path) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, line, bytes read from disk)`` of a JSON Lines file's non-blank lines.

    Streamed (gzip too), one line in memory at a time. A line over ``MAX_RECORD_BYTES`` comes
    as None, its bytes skipped unread. ``BadFile`` when the file is empty, binary, not gzip, or
    decompresses past ``MAX_JSONL_BYTES``: the lines before it have been given.
    """
    with open(path, "rb") as raw:
        stream: Any = gzip.GzipFile(fileobj=raw) if path.suffix.lower() == ".gz" else raw
        try:
            yield from _lines(stream, raw)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise BadFile(f"not a readable gzip file ({exc})") from exc


def _lines(stream: Any, raw: Any) -> Iterator[tuple[int, bytes | None, int]]:
    # Binary by a signature, or a NUL byte in the first line: a NUL further on (a line of
    # a JSONL file broken in transit) costs only its own line.
    if looks_binary(stream.peek(4096)[:4096].split(b"\n", 1)[0]):
        raise BadFile("binary content, not text")
    total = lineno = given = 0
    while line := stream.readline(MAX_RECORD_BYTES + 1):
        lineno += 1
        total += len(line)
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_RECORD_BYTES)) and not rest.endswith(b"\n"):
                total += len(rest)
            total += len(rest)
            line = None
        if total > MAX_JSONL_BYTES:
            raise BadFile(f"more than {MAX_JSONL_BYTES} bytes (decompressed): not read further")
        if line is None or line.strip():
            given += 1
            yield lineno, line, raw.tell()
    if not given:
        raise BadFile("empty file")


def parse_record(rel: str, lineno: int, line: str | bytes | None) -> Article | Rejection:
    """One JSON Lines record (line ``lineno`` of file ``rel``) as an article, or why not."""
    where = f"{rel}:{lineno}"
    if line is None or len(line) > MAX_RECORD_BYTES:
        return Rejection(where, f"record larger than {MAX_RECORD_BYTES} bytes")
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            byte = exc.object[exc.start]
            return Rejection(where, f"not UTF-8 (byte 0x{byte:02x} at offset {exc.start})")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
    except ValueError as exc:  # an integer of more than 4,300 digits
        return Rejection(where, f"invalid JSON ({str(exc).split(';')[0]})")
    except RecursionError:
        return Rejection(where, "invalid JSON (nested too deeply)")
    if not isinstance(record, dict):
        return Rejection(where, "record is not a JSON object")
    if not isinstance(record.get("title"), str) or not isinstance(record.get("body"), str):
        return Rejection(where, "record lacks a string 'title' and 'body'")
    try:
        rid = record.get("id")
        doc_id = str(rid) if rid not in (None, "") else ""
        # An id of nothing but unsafe characters would be empty once the article has it.
        return clean_record(record, id=doc_id if safe_text(doc_id) else where, path=rel)
    except Exception as exc:  # a cleaner bug must not stop the file: report the record
        return Rejection(where, f"cannot parse: {type(exc).__name__}: {exc}")


def load_paths(paths: Iterable[Path]) -> Iterator[Article | Rejection]:
    """Articles and rejections for files and directories, ids relative to each given root."""
    for given in paths:
        root = given if given.is_dir() else given.parent
        if not given.exists():
            yield Rejection(str(given), "no such file or directory")
            continue
        errors: list[OSError] = []
        for path in iter_corpus_files(given, errors):
            yield from load_file(path, root)
        yield from unreadable_folders(errors, root)
