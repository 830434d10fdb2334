"""What the suite talks to: parse ``--target`` and describe the target's optional features."""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field, replace
from typing import Optional
from urllib.parse import urlsplit

from .errors import BadTarget, TargetUnreachable

_HOST_PORT = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9.\-_]+)):(?P<port>[0-9]{1,5})$")


@dataclass(frozen=True)
class Target:
    """A server to test: where it is and which optional features it offers."""

    host: str
    port: int
    tls: bool = False
    resource: str = "/"
    paths: dict = field(default_factory=dict)  # feature name -> path
    label: str = ""
    verify_tls: bool = True
    idle_timeout: Optional[float] = None  # the target's keep-alive idle timeout, when known (--idle-timeout)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.tls else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def display(self) -> str:
        return self.label or f"{'https' if self.tls else 'http'}://{self.host_header}"

    def has(self, feature: str) -> bool:
        return feature in self.paths

    def path(self, feature: str) -> str:
        return self.paths[feature]

    def with_paths(self, **paths: str | None) -> "Target":
        merged = dict(self.paths)
        merged.update({k: v for k, v in paths.items() if v})
        return replace(self, paths=merged)


def _check_port(text: str, raw: str) -> int:
    port = int(text)
    if not 0 < port < 65536:
        raise BadTarget(f"invalid --target {raw!r}: port {port} is outside 1-65535")
    return port


def parse_target(raw: str) -> Target:
    """Parse ``HOST:PORT``, ``[V6]:PORT``, or an ``http://`` / ``https://`` URL."""
    text = (raw or "").strip()
    if not text:
        raise BadTarget(f"invalid --target {raw!r}: it is empty (an unset variable?); give HOST:PORT or an"
                        " http(s):// URL, or leave the option out to test the bundled server")
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https"):
            raise BadTarget(f"invalid --target {raw!r}: scheme must be http or https, not {parts.scheme!r}")
        try:
            port = parts.port
        except ValueError:
            raise BadTarget(f"invalid --target {raw!r}: the port is not a number in 1-65535") from None
        host = parts.hostname
        if not host:
            raise BadTarget(f"invalid --target {raw!r}: no host")
        tls = parts.scheme == "https"
        resource = parts.path or "/"
        if parts.query:
            resource += "?" + parts.query
        return Target(host=host, port=port or (443 if tls else 80), tls=tls, resource=resource)
    m = _HOST_PORT.match(text)
    if not m:
        raise BadTarget(f"invalid --target {raw!r}: expected HOST:PORT or an http(s):// URL")
    host = m.group("v6") or m.group("host")
    if m.group("v6"):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise BadTarget(f"invalid --target {raw!r}: {host!r} is not an IPv6 address") from None
    return Target(host=host, port=_check_port(m.group("port"), raw))


def check_reachable(target: Target, timeout: float) -> None:
    """Open and close one TCP connection; raise TargetUnreachable with one clear line."""
    try:
        sock = socket.create_connection((target.host, target.port), timeout=timeout)
    except socket.timeout:
        raise TargetUnreachable(f"target {target.display} unreachable: no answer to connect within {timeout:g} s") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise TargetUnreachable(f"target {target.display} unreachable: {reason.lower()}") from None
    sock.close()
