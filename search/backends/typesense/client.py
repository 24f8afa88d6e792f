"""Typesense clients: failing over between nodes, and what counts as 'no node answered'
(``service``); ``batches`` splits a long list of documents or ids into requests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import typesense
from typesense import exceptions as tse
from typesense.configuration import ConfigDict, NodeConfigDict

from search.index.backend import BackendUnavailable
from search.settings import Node, Settings


def batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size``: one request each."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def node_config(node: Node) -> NodeConfigDict:
    return {"host": node.host, "port": node.port, "protocol": node.protocol}


def make_client(
    settings: Settings,
    nodes: tuple[Node, ...] | None = None,
    *,
    nearest: Node | None = None,
    num_retries: int | None = None,
    timeout: float | None = None,
) -> typesense.Client:
    """A Typesense client over ``nodes`` (default: all configured), failing over between them.

    ``nearest`` is asked first; ``num_retries`` and ``timeout`` (seconds to connect) override
    the defaults: every node twice, and the configured timeout.
    """
    nodes = nodes or settings.nodes
    config: ConfigDict = {
        "nodes": [node_config(n) for n in nodes],
        "api_key": settings.api_key,
        "connection_timeout_seconds": (
            float(settings.extra.get("timeout_seconds", 5)) if timeout is None else timeout
        ),
        # Every node gets a second chance: a leader election can take a couple of seconds.
        "num_retries": 2 * len(nodes) + 1 if num_retries is None else num_retries,
        "retry_interval_seconds": 0.2,
        "healthcheck_interval_seconds": 15,
    }
    if nearest is not None:
        config["nearest_node"] = node_config(nearest)
    return typesense.Client(config)


def close_client(client: typesense.Client) -> None:
    """Close a client's connection pool (``typesense.Client`` has no ``close`` of its own)."""
    client.api_call.close()


_CLIENT_ERRORS = (
    tse.ObjectNotFound,
    tse.ObjectAlreadyExists,
    tse.ObjectUnprocessable,
    tse.RequestMalformed,
    tse.RequestUnauthorized,
    tse.RequestForbidden,
)


@contextmanager
def service(what: str) -> Iterator[None]:
    """Turn 'no node answered' into ``BackendUnavailable``; request errors pass through."""
    try:
        yield
    except _CLIENT_ERRORS:
        raise
    except (tse.TypesenseClientError, httpx.HTTPError, OSError) as exc:
        raise BackendUnavailable(f"Typesense cannot {what}: {exc}") from exc
