"""Shared fixtures: small corpora written into tmp_path, and indexes built from them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"

# A tiny corpus with known entities, dates and sources (JSON Lines records like the real corpus).
RECORDS: list[dict[str, Any]] = [
    {
        "id": "kr-1",
        "title": "Governor visits farms in South Jeolla Province",
        "date": "2021-03-04",
        "body": "MUAN, South Jeolla Province - Governor Kim Young-rok of South Jeolla Province "
        "met rice farmers in Mokpo on Tuesday to discuss the harvest.\n\n"
        "The governor later spoke about trade with Shanghai.",
        "agency": "Jeollanam-do Provincial Government",
    },
    {
        "id": "kr-2",
        "title": "South Jeolla opens offshore wind complex",
        "date": "2022-06-10",
        "body": "Jeollanam-do opened an offshore wind complex near Sinan. Governor Kim Young-rok "
        "said the project creates jobs for the region.",
        "agency": "Jeollanam-do Provincial Government",
    },
    {
        "id": "cn-1",
        "title": "Shanghai port expansion announced",
        "date": "2022-05-01",
        "body": "The Shanghai port authority announced an expansion of its container terminals. "
        "Café owners near the harbour welcomed the news.",
        "agency": "Shanghai Port Authority",
    },
    {
        "id": "us-1",
        "title": "District Attorney charges man in Anaheim burglary",
        "date": "2020-01-02",
        "body": "SANTA ANA, Calif. - Orange County District Attorney Todd Spitzer announced "
        "charges today against a man accused of burglary in Anaheim, California.",
        "agency": "Orange County District Attorney",
    },
    {
        "id": "us-2",
        "title": "Governor of California signs water bill",
        "date": "2021-09-15",
        "body": "SACRAMENTO, Calif. - Governor Gavin Newsom of California signed a water "
        "conservation bill on Wednesday. The bill funds reservoirs across California.",
        "agency": "Office of the Governor of California",
    },
    {
        "id": "us-3",
        "title": "Water rates to stay flat",
        "date": None,
        "body": "The county water board voted to keep water rates flat for another year, "
        "the board said in a statement on Monday.",
        "agency": "San Diego County Water Board",
    },
]


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    """Write records as JSON Lines (creating parent directories)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``make_corpus({"a.jsonl": [records], "b.txt": "text"})`` -> corpus directory."""

    def make(files: dict[str, Any] | None = None, name: str = "corpus") -> Path:
        root = tmp_path / name
        root.mkdir(exist_ok=True)
        for rel, content in (files if files is not None else {"releases.jsonl": RECORDS}).items():
            target = root / rel
            if isinstance(content, list):
                write_jsonl(target, content)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    target.write_bytes(content)
                else:
                    target.write_text(content, "utf-8")
        return root

    return make


@pytest.fixture
def built_index(make_corpus: Callable[..., Path], tmp_path: Path) -> Any:
    """A reindexed sample corpus: returns an object with ``corpus``, ``index``, ``backend``."""
    from search.backends import reindex
    from search.backends.whoosh.backend import WhooshBackend

    corpus = make_corpus()
    index = tmp_path / "index"
    summary = reindex(corpus, index, jobs=1)

    class Built:
        pass

    built = Built()
    built.corpus, built.index, built.summary = corpus, index, summary
    built.backend = WhooshBackend(index)
    return built


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """``../shared/corpus`` (the real corpus), skipping when it is not there."""
    path = SHARED / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus is not available")
    return path


_BACKEND_ENV = ("PRESSEARCH_BACKEND", "PRESSEARCH_CONFIG", "PRESSEARCH_TYPESENSE_NODES",
                "PRESSEARCH_TYPESENSE_API_KEY", "PRESSEARCH_TYPESENSE_COLLECTION")  # fmt: skip


@pytest.fixture(autouse=True)
def _default_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts on the default (Whoosh) backend, whatever the developer's shell says."""
    for name in _BACKEND_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def typesense_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real 3-node Typesense cluster on 127.0.0.1 (skips when the server cannot start)."""
    from typesense_cluster import ClusterUnavailable, TypesenseCluster

    try:
        cluster = TypesenseCluster(tmp_path_factory.mktemp("typesense")).start()
    except ClusterUnavailable as exc:
        pytest.skip(f"Typesense cluster unavailable: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def typesense_env(
    typesense_cluster: Any, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """The cluster, with ``PRESSEARCH_*`` set to use it under a collection name of this test."""
    import re

    collection = "t-" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:40]
    for name, value in typesense_cluster.env(collection).items():
        monkeypatch.setenv(name, value)
    typesense_cluster.collection = collection
    from search.backends.typesense.backend import TypesenseBackend
    from search.settings import load_settings

    settings = load_settings()
    yield typesense_cluster
    backend = TypesenseBackend(settings)
    try:
        backend.writer.aliases[collection].delete()
        backend.cleanup()  # with no alias, every generation of this collection name goes
    except Exception:  # no index, or a test that killed nodes left the cluster busy: data is in tmp
        pass
    finally:
        backend.close()


@pytest.fixture(scope="module")
def app(index_dir: Path) -> Any:
    """The web app over the test module's own ``index_dir`` fixture."""
    from web import create_app

    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True})


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()
