"""Tor control with stem: connect or launch, wait for bootstrap, health, new identity, a pool of instances.

A pool is N Tor instances, each a (SOCKS port, control port) pair on ``NPSWATCH_TOR_HOST``.
Every source is mapped to one instance by rendezvous hashing of its isolation key, so the
mapping is stable and only the sources of an added or removed instance move.

Authentication comes from the environment only: ``NPSWATCH_TOR_CONTROL_PASSWORD`` (a
``HashedControlPassword`` Tor) or ``NPSWATCH_TOR_CONTROL_COOKIE`` (path of Tor's
``control_auth_cookie``); without either, stem reads the cookie path Tor announces.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import ipaddress
import logging
import re
import socket
import subprocess
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawlers.tor import TorError, TorNotReady
from npswatch import settings

logger = logging.getLogger(__name__)

PASSWORD_ENV = "NPSWATCH_TOR_CONTROL_PASSWORD"
COOKIE_ENV = "NPSWATCH_TOR_CONTROL_COOKIE"
_PROGRESS = re.compile(r"PROGRESS=(\d+)")
_SUMMARY = re.compile(r'SUMMARY="([^"]*)"')
_launched: dict[int, subprocess.Popen[bytes]] = {}  # control port -> the Tor this process launched


@dataclass(frozen=True)
class TorInstance:
    index: int
    host: str
    socks_port: int
    control_port: int

    def proxy_url(self, key: str) -> str:
        """The SOCKS proxy for one isolation key: ``socks5h`` so that Tor, never the crawler, resolves names."""
        return f"socks5h://{key}:x@{self.host}:{self.socks_port}"


@dataclass
class InstanceHealth:
    index: int
    socks: str
    control: str
    reachable: bool = False
    version: str = ""
    bootstrap: int = 0
    summary: str = ""
    circuits: int = 0
    circuits_by_key: dict[str, int] = field(default_factory=dict)
    newnym_wait: float = 0.0
    error: str | None = None

    @property
    def ready(self) -> bool:
        return self.reachable and self.bootstrap == 100


def _ports(value: Any) -> list[int]:
    items = value.split(",") if isinstance(value, str) else list(value)
    try:
        return [int(str(p).strip()) for p in items if str(p).strip()]
    except ValueError as exc:
        raise TorError(f"expected comma-separated port numbers, found {value!r}") from exc


class TorPool:
    """The Tor instances a crawl may use, and the stable mapping of sources onto them."""

    def __init__(self, instances: Sequence[TorInstance]) -> None:
        if not instances:
            raise TorError("expected at least one Tor instance (NPSWATCH_TOR_SOCKS_PORTS is empty)")
        self.instances = list(instances)

    @classmethod
    def from_settings(cls, settings: Any) -> TorPool:
        host = str(settings.get("NPSWATCH_TOR_HOST"))
        socks = _ports(settings.get("NPSWATCH_TOR_SOCKS_PORTS"))
        control = _ports(settings.get("NPSWATCH_TOR_CONTROL_PORTS"))
        if len(socks) != len(control):
            raise TorError(f"expected one control port per SOCKS port, found {len(socks)} SOCKS and "
                           f"{len(control)} control ports")  # fmt: skip
        return cls([TorInstance(i, host, s, c) for i, (s, c) in enumerate(zip(socks, control, strict=True))])

    @property
    def socks_endpoints(self) -> set[tuple[str, int]]:
        return {(i.host, i.socks_port) for i in self.instances}

    def instance_for(self, key: str) -> TorInstance:
        """Rendezvous hashing: the instance with the highest hash of (key, instance) serves the key."""
        def weight(instance: TorInstance) -> bytes:
            return hashlib.sha256(f"{key}\0{instance.socks_port}".encode()).digest()

        return max(self.instances, key=weight)

    def proxy_url(self, key: str) -> str:
        return self.instance_for(key).proxy_url(key)

    def ensure_ready(self, timeout: float, launch: bool = False, data_dir: Path | None = None, binary: str = "tor",
                     only: Sequence[TorInstance] | None = None) -> None:  # fmt: skip
        """Return once every instance (or those in ``only``) reports bootstrap 100%; else raise TorNotReady."""
        for instance in self.instances if only is None else only:
            control = TorControl(instance)
            try:
                if launch and not control.reachable():
                    launch_tor(instance, (data_dir or Path("var")) / "tor" / str(instance.index), binary, timeout)
                control.wait_bootstrapped(timeout)
            finally:
                control.close()

    def health(self) -> list[InstanceHealth]:
        result = []
        for instance in self.instances:
            control = TorControl(instance)
            try:
                result.append(control.health())
            finally:
                control.close()
        return result


class TorControl:
    """One Tor instance's control port, through stem; connects on first use."""

    def __init__(self, instance: TorInstance) -> None:
        self.instance = instance
        self._controller: Any = None

    @property
    def where(self) -> str:
        return f"{self.instance.host}:{self.instance.control_port}"

    def controller(self) -> Any:
        if self._controller is None:
            import stem
            import stem.connection

            try:
                controller = open_controller(self.instance.host, self.instance.control_port)
            except (stem.SocketError, OSError) as exc:
                raise TorNotReady(f"Tor is not running or not reachable: no control port at {self.where} ({exc}); "
                                  "start Tor (docs/tor.md) or set NPSWATCH_TOR_LAUNCH=1") from exc  # fmt: skip
            try:
                _authenticate(controller)
            except (stem.connection.AuthenticationFailure, OSError) as exc:
                controller.close()
                raise TorNotReady(f"cannot authenticate to Tor's control port {self.where}: {exc}; set "
                                  f"{PASSWORD_ENV} or {COOKIE_ENV}") from exc  # fmt: skip
            self._controller = controller
        return self._controller

    def reachable(self) -> bool:
        try:
            self.controller()
        except TorNotReady:
            return False
        return True

    def bootstrap(self) -> tuple[int, str]:
        """Bootstrap progress (0-100) and Tor's summary of the current phase."""
        phase = self.controller().get_info("status/bootstrap-phase")
        progress, summary = _PROGRESS.search(phase), _SUMMARY.search(phase)
        return int(progress.group(1)) if progress else 0, summary.group(1) if summary else phase

    def wait_bootstrapped(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        progress, summary = self.bootstrap()
        while progress < 100:
            if time.monotonic() > deadline:
                raise TorNotReady(f"Tor at {self.where} has not bootstrapped after {timeout:.0f}s: {progress}% "
                                  f"({summary}); no request was sent")  # fmt: skip
            time.sleep(0.5)
            progress, summary = self.bootstrap()
        logger.debug("Tor at %s bootstrapped (100%%)", self.where)

    def health(self) -> InstanceHealth:
        instance = self.instance
        health = InstanceHealth(instance.index, f"{instance.host}:{instance.socks_port}", self.where)
        try:
            controller = self.controller()
            health.reachable = True
            health.version = str(controller.get_version()).split()[0]
            health.bootstrap, health.summary = self.bootstrap()
            circuits = controller.get_circuits()
            health.circuits = len(circuits)
            health.circuits_by_key = dict(Counter(c.socks_username for c in circuits if c.socks_username))
            health.newnym_wait = float(controller.get_newnym_wait())
        except TorError as exc:
            health.error = str(exc)
        except Exception as exc:  # stem raises many kinds; a health check reports them all
            health.error = f"{type(exc).__name__}: {exc}"
        return health

    def new_identity(self, wait: bool = True) -> float:
        """Signal NEWNYM (new circuits for new streams), waiting out Tor's rate limit; return the seconds waited.

        NEWNYM affects every source on the instance: per-source isolation is the usual tool.
        """
        from stem import Signal

        controller = self.controller()
        waited = 0.0
        if not controller.is_newnym_available():
            waited = float(controller.get_newnym_wait())
            if not wait:
                raise TorError(f"Tor at {self.where} rate-limits NEWNYM: try again in {waited:.1f}s")
            time.sleep(waited)
        controller.signal(Signal.NEWNYM)
        return waited

    def close(self) -> None:
        if self._controller is not None:
            self._controller.close()
            self._controller = None


def open_controller(host: str, port: int) -> Any:
    """A stem Controller on host:port, not yet authenticated.

    stem 1.8.2 (the last release) calls the deprecated ``Thread.setDaemon``; that warning alone is silenced.  Its
    ``ControlPort`` leaves the socket of a refused connection open, so the port is connected here (``_ControlPort``).
    """
    from stem.control import Controller

    try:
        address = str(ipaddress.IPv4Address(host))
    except ValueError:  # a service name such as "tor" under docker compose: stem takes IPv4 literals only
        address = socket.gethostbyname(host)
    logging.getLogger("stem").setLevel(logging.WARNING)  # stem logs every closed control connection at INFO
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"setDaemon\(\) is deprecated", category=DeprecationWarning)
        return Controller(_control_port()(address, port))


@functools.cache
def _control_port() -> type:
    """stem's ``ControlPort`` that closes its socket when the connection is refused (stem's own leaves it open)."""
    import stem
    import stem.socket

    class _ControlPort(stem.socket.ControlPort):  # type: ignore[misc]
        def _make_socket(self) -> socket.socket:
            control_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                control_socket.connect((self.address, self.port))
            except OSError as exc:
                control_socket.close()
                raise stem.SocketError(exc) from exc
            return control_socket

    return _ControlPort


def _authenticate(controller: Any) -> None:
    import stem.connection

    password = settings.secret(PASSWORD_ENV)
    cookie = settings.secret(COOKIE_ENV)
    if cookie:
        stem.connection.authenticate_cookie(controller, cookie)
    else:
        controller.authenticate(password=password)


def launch_tor(instance: TorInstance, data_dir: Path, binary: str, timeout: float) -> None:
    """Start a Tor client for ``instance`` with a project-managed data directory; it dies with this process."""
    import stem.process

    if instance.control_port in _launched and _launched[instance.control_port].poll() is None:
        return
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    config = {
        "SocksPort": f"{instance.host}:{instance.socks_port} IsolateSOCKSAuth",
        "ControlPort": f"{instance.host}:{instance.control_port}",
        "CookieAuthentication": "1",
        "DataDirectory": str(data_dir),
        "SafeSocks": "1",
        "TestSocks": "1",
        "Log": f"notice file {data_dir / 'notice.log'}",
    }
    try:
        process = stem.process.launch_tor_with_config(config, tor_cmd=binary, completion_percent=0,
                                                      take_ownership=True, timeout=timeout)  # fmt: skip
    except OSError as exc:
        raise TorNotReady(f"cannot launch Tor ({binary!r}): {exc}; install it (apt-get install tor)") from exc
    if not _launched:
        atexit.register(_stop_launched)
    _launched[instance.control_port] = process
    logger.info("Launched Tor (pid %s) for instance %d, data in %s", process.pid, instance.index, data_dir)


def _stop_launched() -> None:
    """Stop the Tor processes this process launched (take_ownership also makes them exit when it dies)."""
    for process in _launched.values():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    _launched.clear()
