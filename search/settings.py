"""Every setting in one place: ``PRESSEARCH_*`` environment variables over an optional TOML file.

Paths: ``PRESSEARCH_INDEX`` (default ``./index``) and ``PRESSEARCH_CORPUS`` (default ``./corpus``).
The backend comes from the file ``$PRESSEARCH_CONFIG`` or, when that is unset,
``./pressearch.toml`` if it exists::

    backend = "typesense"

    [typesense]
    nodes = ["http://10.0.0.1:8108", "http://10.0.0.2:8108", "http://10.0.0.3:8108"]
    api_key = "..."
    collection = "pressearch"      # the alias searched; generations are named after it

An environment variable wins over the file: ``PRESSEARCH_BACKEND``,
``PRESSEARCH_TYPESENSE_NODES`` (comma separated URLs), ``PRESSEARCH_TYPESENSE_API_KEY``,
``PRESSEARCH_TYPESENSE_COLLECTION``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BACKENDS = ("whoosh", "typesense")


class ConfigError(ValueError):
    """The configuration names an unknown backend or is incomplete or malformed."""


@dataclass(frozen=True)
class Node:
    protocol: str
    host: str
    port: int

    def url(self) -> str:
        return f"{self.protocol}://{self.host}:{self.port}"


@dataclass(frozen=True)
class Settings:
    backend: str = "whoosh"
    nodes: tuple[Node, ...] = ()
    api_key: str = ""
    collection: str = "pressearch"
    source: str = "defaults"  # where the settings came from, for messages
    extra: dict[str, Any] = field(default_factory=dict)


def parse_nodes(value: str | list[str]) -> tuple[Node, ...]:
    """``http://host:port,...`` (or a list of such URLs) as nodes; the port defaults to 8108."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise ConfigError(f"Typesense nodes must be a list of URLs, not {value!r}")
    nodes = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        parts = urlsplit(item if "://" in item else f"http://{item}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"not a Typesense node URL: {item!r} (want http://host:port)")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 8108)
        except ValueError:
            raise ConfigError(f"bad port in Typesense node URL {item!r}") from None
        nodes.append(Node(parts.scheme, parts.hostname, port))
    return tuple(nodes)


def _read_file(env: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    named = env.get("PRESSEARCH_CONFIG")
    path = Path(named) if named else Path("pressearch.toml")
    if not path.is_file():
        if named:
            raise ConfigError(f"PRESSEARCH_CONFIG names {path}, which is not a file")
        return {}, None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), str(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """The backend settings from ``env`` (default ``os.environ``) and the config file."""
    env = dict(os.environ if env is None else env)
    data, path = _read_file(env)
    ts = data.get("typesense") or {}
    if not isinstance(ts, dict):
        raise ConfigError(f"{path}: [typesense] must be a table")
    backend = env.get("PRESSEARCH_BACKEND") or data.get("backend") or "whoosh"
    if not isinstance(backend, str) or backend.lower() not in BACKENDS:
        raise ConfigError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    backend = backend.lower()
    nodes = parse_nodes(env.get("PRESSEARCH_TYPESENSE_NODES") or ts.get("nodes") or "")
    api_key = env.get("PRESSEARCH_TYPESENSE_API_KEY") or ts.get("api_key") or ""
    collection = env.get("PRESSEARCH_TYPESENSE_COLLECTION") or ts.get("collection") or "pressearch"
    if backend == "typesense":
        where = path or "the environment"
        if not nodes:
            raise ConfigError(f"Typesense needs nodes: set PRESSEARCH_TYPESENSE_NODES ({where})")
        if not api_key:
            raise ConfigError(f"Typesense needs PRESSEARCH_TYPESENSE_API_KEY ({where})")
    extra = {k: v for k, v in ts.items() if k not in ("nodes", "api_key", "collection")}
    timeout = extra.get("timeout_seconds", 5)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError(f"{path}: timeout_seconds must be a number of seconds, not {timeout!r}")
    return Settings(backend, nodes, str(api_key), str(collection), path or "environment", extra)


def default_index_dir() -> Path:
    """The index directory: ``$PRESSEARCH_INDEX`` or ``./index``."""
    return Path(os.environ.get("PRESSEARCH_INDEX") or "index")


def default_corpus_dir() -> Path:
    """The corpus directory: ``$PRESSEARCH_CORPUS`` or ``./corpus``."""
    return Path(os.environ.get("PRESSEARCH_CORPUS") or "corpus")
