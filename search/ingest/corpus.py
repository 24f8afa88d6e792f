"""Walk a corpus directory and turn each file into articles or rejections.

Supported: ``.html``/``.htm`` pages, ``.txt`` articles, ``.jsonl`` records, each optionally
gzip-compressed (``.gz``). Anything else, and anything unreadable, becomes a ``Rejection``
with the path and the reason; one bad file never stops the rest.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from search.ingest.article import Article, Rejection
from search.ingest.clean import clean_html, clean_record, clean_text

# A press release is a few KB and a saved page rarely over 1 MB: an HTML or text file over
# 10 MiB (after decompression) is not one article. A JSONL export holds many releases, so it may
# reach 1 GiB, but each record is held to MAX_RECORD_BYTES. The limits also stop gzip bombs.
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
MAX_JSONL_BYTES = 1024 * 1024 * 1024
MAX_RECORD_BYTES = 2 * 1024 * 1024

KINDS = {".html": "html", ".htm": "html", ".txt": "text", ".jsonl": "jsonl"}


class BadFile(Exception):
    """Raised with a human-readable reason when a file cannot be used."""


def kind_of(path: Path) -> str | None:
    """The article format of ``path`` by its suffix (``html``, ``text``, ``jsonl``) or None."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return KINDS.get(suffixes[-1]) if suffixes else None


def iter_corpus_files(root: Path) -> Iterator[Path]:
    """Every regular file under ``root`` (or ``root`` itself), sorted, hidden ones skipped."""
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


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
    """The path of ``path`` relative to the corpus root, with forward slashes."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        rel = Path(path.name)
    return rel.as_posix() if str(rel) != "." else path.name


def load_file(path: Path, root: Path) -> list[Article | Rejection]:
    """Clean one corpus file into its articles, or the rejections that explain why not."""
    rel = relative_id(path, root)
    kind = kind_of(path)
    if kind is None:
        return [Rejection(rel, f"unsupported file type {''.join(path.suffixes) or '(none)'!r}")]
    try:
        text = decode(read_bytes(path, MAX_JSONL_BYTES if kind == "jsonl" else MAX_ARTICLE_BYTES))
        if not text.strip():
            raise BadFile("no text content")
        if kind == "jsonl":
            return list(load_records(text, rel))
        if kind == "html":
            if "<" not in text[:4096]:
                raise BadFile("not HTML (no markup found)")
            return [clean_html(text, id=rel, path=rel)]
        return [clean_text(text, id=rel, path=rel)]
    except BadFile as exc:
        return [Rejection(rel, str(exc))]
    except OSError as exc:
        return [Rejection(rel, f"cannot read: {exc.strerror or exc}")]
    except Exception as exc:  # a parser bug must not stop the corpus: report it instead
        return [Rejection(rel, f"cannot parse: {type(exc).__name__}: {exc}")]


def load_records(text: str, rel: str, first_line: int = 1) -> Iterator[Article | Rejection]:
    """The articles of JSON Lines ``text`` from file ``rel``, whose first line is ``first_line``.

    ``first_line`` lets a caller that splits a large file into chunks keep the file's line
    numbers in ids and rejections.
    """
    # Split on "\n" only: str.splitlines() would also break on U+2028 or U+0085 inside strings.
    for lineno, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        where = f"{rel}:{lineno}"
        if len(line) > MAX_RECORD_BYTES:
            yield Rejection(where, f"record larger than {MAX_RECORD_BYTES} bytes")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield Rejection(where, "record is not a JSON object")
            continue
        if not isinstance(record.get("title"), str) or not isinstance(record.get("body"), str):
            yield Rejection(where, "record lacks a string 'title' and 'body'")
            continue
        rid = record.get("id")
        yield clean_record(record, id=str(rid) if rid not in (None, "") else where, path=rel)


def load_paths(paths: Iterable[Path]) -> Iterator[Article | Rejection]:
    """Articles and rejections for files and directories, ids relative to each given root."""
    for given in paths:
        root = given if given.is_dir() else given.parent
        if not given.exists():
            yield Rejection(str(given), "no such file or directory")
            continue
        for path in iter_corpus_files(given):
            yield from load_file(path, root)
