"""A private Tor network on 127.0.0.1 for tests: nothing leaves the machine.

3 directory authorities (also relays), N non-exit relays, M clients (a pool) and one node
publishing v3 onion services, all from Debian's ``tor`` and ``tor-gencert``.  Staged start (docs/tor.md): the
authorities and relays first; the client and the onion services only once a consensus lists
every relay, which makes the first onion fetch come about 30 s after a cold start instead of
one to three minutes.  Every process runs in its own process group and ``stop`` kills the group.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

AUTHORITIES = 3
_FINGERPRINT = re.compile(r"^fingerprint ([0-9A-F]{40})$", re.MULTILINE)


class TorNetworkError(Exception):
    """The test network did not come up; the message says which stage and where its logs are."""


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A free loopback port, never the same one twice in this test run (the kernel may hand a closed one out again)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def wait_listening(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def tor_binaries() -> tuple[str | None, str | None]:
    return shutil.which("tor") or _sbin("tor"), shutil.which("tor-gencert") or _sbin("tor-gencert")


def _sbin(name: str) -> str | None:
    for directory in ("/usr/sbin", "/usr/bin", "/usr/local/bin"):
        if os.access(f"{directory}/{name}", os.X_OK):
            return f"{directory}/{name}"
    return None


@dataclass
class Node:
    nick: str
    role: str  # authority | relay | client | onion
    dir: Path
    control_port: int = field(default_factory=free_port)
    or_port: int = 0
    dir_port: int = 0
    socks_port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.dir / "notice.log"


COMMON = """\
TestingTorNetwork 1
DataDirectory {dir}
Nickname {nick}
Address 127.0.0.1
ShutdownWaitLength 0
Log notice file {dir}/notice.log
SafeLogging 0
Sandbox 0
UseDefaultFallbackDirs 0
ServerDNSResolvConfFile /dev/null
ControlPort 127.0.0.1:{control_port}
CookieAuthentication 1
PathsNeededToBuildCircuits 0.67
TestingDirAuthVoteExit *
TestingDirAuthVoteHSDir *
TestingDirAuthVoteGuard *
TestingMinExitFlagThreshold 0
"""
RELAY = """\
ORPort 127.0.0.1:{or_port}
AssumeReachable 1
ExitRelay 0
ExitPolicy reject *:*
SocksPort 0
"""
AUTHORITY = """\
DirPort 127.0.0.1:{dir_port}
AuthoritativeDirectory 1
V3AuthoritativeDirectory 1
AuthDirMaxServersPerAddr 0
ContactInfo authority@npswatch.test
V3AuthVotingInterval 20
V3AuthVoteDelay 4
V3AuthDistDelay 4
TestingV3AuthInitialVotingInterval 20
TestingV3AuthInitialVoteDelay 4
TestingV3AuthInitialDistDelay 4
V3AuthNIntervalsValid 2
"""
CLIENT = """\
SocksPort 127.0.0.1:{socks_port} OnionTrafficOnly
SafeSocks 1
TestSocks 1
"""


class TorNetwork:
    """Build, start and stop the network under ``root``; ``services`` maps an onion name to a local port."""

    def __init__(self, root: Path, services: dict[str, int], relays: int = 3, clients: int = 1) -> None:
        self.tor, self.gencert = tor_binaries()
        self.root = root
        self.services = services
        self.authorities = [Node(f"auth{i}", "authority", root / f"auth{i}") for i in range(AUTHORITIES)]
        self.relays = [Node(f"relay{i}", "relay", root / f"relay{i}") for i in range(relays)]
        self.clients = [Node(f"client{i}", "client", root / f"client{i}", socks_port=free_port())
                        for i in range(clients)]  # fmt: skip
        self.client = self.clients[0]
        self.onion = Node("onion", "onion", root / "onion")
        for node in [*self.authorities, *self.relays]:
            node.or_port = free_port()
        for node in self.authorities:
            node.dir_port = free_port()
        self.timings: dict[str, float] = {}
        self.onions: dict[str, str] = {}  # service name -> onion host name

    @property
    def nodes(self) -> list[Node]:
        return [*self.authorities, *self.relays, *self.clients, self.onion]

    def start(self, timeout: float = 120) -> None:
        if not (self.tor and self.gencert):
            raise TorNetworkError("expected Debian's tor and tor-gencert on PATH (apt-get install tor)")
        started = time.monotonic()
        dir_authorities = "".join(self._make_authority(node) for node in self.authorities)
        for node in self.nodes:
            self._write_torrc(node, dir_authorities)
        for node in [*self.authorities, *self.relays]:
            self._launch(node)
        self._wait_consensus(started + timeout)
        self.timings["consensus"] = time.monotonic() - started
        for node in self.relays:  # they got 404s before the first consensus and back off: make them fetch it now
            assert node.process is not None
            node.process.send_signal(signal.SIGHUP)
        for node in [*self.clients, self.onion]:
            self._launch(node)
        for node in self.clients:
            self._wait_bootstrap(node, started + timeout)
        self.timings["client_bootstrap"] = time.monotonic() - started
        for name in self.services:
            self.onions[name] = (self.onion.dir / f"hs_{name}" / "hostname").read_text().strip()

    def start_stranded_client(self) -> None:
        """Only the client, its one directory authority a port where nothing listens: it never bootstraps."""
        dead = free_port()
        ghost = f"DirAuthority ghost orport={dead} no-v2 v3ident={'A' * 40} 127.0.0.1:{dead} {'B' * 40}\n"
        self._write_torrc(self.client, ghost)
        self._launch(self.client)

    def _make_authority(self, node: Node) -> str:
        keys = node.dir / "keys"
        keys.mkdir(parents=True, mode=0o700)
        node.dir.chmod(0o700)
        subprocess.run([str(self.gencert), "--create-identity-key", "--passphrase-fd", "0", "-m", "12",
                        "-a", f"127.0.0.1:{node.dir_port}", "-i", str(keys / "authority_identity_key"),
                        "-s", str(keys / "authority_signing_key"), "-c", str(keys / "authority_certificate")],
                       input=b"\n", check=True, capture_output=True, timeout=30)  # fmt: skip
        subprocess.run([str(self.tor), "--ignore-missing-torrc", "-f", "/dev/null", "--list-fingerprint",
                        "--DataDirectory", str(node.dir), "--ORPort", str(node.or_port), "--Nickname", node.nick],
                       check=True, capture_output=True, timeout=30)  # fmt: skip
        found = _FINGERPRINT.search((keys / "authority_certificate").read_text())
        if found is None:
            raise TorNetworkError(f"no fingerprint in {keys / 'authority_certificate'}")
        relay_fp = (node.dir / "fingerprint").read_text().split()[1]
        return (f"DirAuthority {node.nick} orport={node.or_port} no-v2 v3ident={found.group(1)} "
                f"127.0.0.1:{node.dir_port} {relay_fp}\n")  # fmt: skip

    def _write_torrc(self, node: Node, dir_authorities: str) -> None:
        node.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = COMMON + dir_authorities
        if node.role in ("authority", "relay"):
            text += RELAY
        if node.role == "authority":
            text += AUTHORITY
        if node.role == "client":
            text += CLIENT
        if node.role == "onion":
            text += "SocksPort 0\n"
            for name, port in self.services.items():
                text += f"HiddenServiceDir {node.dir}/hs_{name}\nHiddenServicePort 80 127.0.0.1:{port}\n"
        (node.dir / "torrc").write_text(text.format(**vars(node)))

    def _launch(self, node: Node) -> None:
        # tor's own output (config errors come before its log file opens) goes beside the log
        with (node.dir / "stdout.log").open("wb") as output:
            node.process = subprocess.Popen([str(self.tor), "-f", str(node.dir / "torrc")], stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip

    def _check_alive(self) -> None:
        for node in self.nodes:
            if node.process is not None and node.process.poll() is not None:
                log = node.log if node.log.exists() else node.dir / "stdout.log"
                tail = log.read_text(errors="replace")[-1500:] if log.exists() else "(no log)"
                raise TorNetworkError(f"tor {node.nick} exited with {node.process.returncode}; log tail:\n{tail}")

    def _wait_consensus(self, deadline: float) -> None:
        expected = len(self.authorities) + len(self.relays)
        url = f"http://127.0.0.1:{self.authorities[0].dir_port}/tor/status-vote/current/consensus"
        listed = 0
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    listed = sum(1 for line in response.read().decode().splitlines() if line.startswith("r "))
                if listed >= expected:
                    return
            except OSError:
                pass
            time.sleep(1)
        raise TorNetworkError(f"no consensus listing all {expected} relays (last saw {listed}); logs in {self.root}")

    def _wait_bootstrap(self, node: Node, deadline: float) -> None:
        import stem

        from crawlers.tor.control import open_controller

        progress = ""
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with open_controller("127.0.0.1", node.control_port) as controller:
                    controller.authenticate()
                    progress = controller.get_info("status/bootstrap-phase")
                if "PROGRESS=100" in progress:
                    return
            except stem.SocketError:  # not listening yet
                pass
            time.sleep(0.5)
        raise TorNetworkError(f"{node.nick} did not bootstrap: {progress}; log {node.log}")

    def stop(self) -> None:
        for node in self.nodes:
            if node.process is not None and node.process.poll() is None:
                _kill_group(node.process, signal.SIGTERM)
        for node in self.nodes:
            if node.process is None:
                continue
            try:
                node.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _kill_group(node.process, signal.SIGKILL)
                node.process.wait(timeout=5)


def _kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, sig)
