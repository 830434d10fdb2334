"""The pcap report: every case's connections as synthesized TCP streams, for Wireshark and tshark.

Classic libpcap (microsecond timestamps, Ethernet).  Each connection of each case is one TCP stream, made from its
wire events (:mod:`h1conform.wire`): a three-way handshake at ``open``, each ``send`` and ``recv`` as segments of
at most :data:`MSS` bytes with the sequence and acknowledgement numbers of both directions, a FIN for our
``half-close`` and ``close`` and for the target's ``eof``, an RST for its ``reset``; IPv4 and TCP checksums are
right.  A packet's time is its case's start (wall clock) plus the event's ``t``; the packets of all cases are in time
order (cases run side by side, so streams interleave).

The server side is port **80** whatever the target's port, so that Wireshark and tshark dissect HTTP without being
told (``tshark -r run.pcap -Y http``); the real address is in the JSON report.  The server's address is the
target's when it is an IPv4 address, else 192.0.2.2 (a documentation address); the client is 127.0.0.1 beside a
loopback target, else 192.0.2.1; each connection has its own client port, counting up from 20000.  A TLS target's
transcript is the plaintext, and is written as such.  Bytes a case's report budget left out (``truncated``) are
left out of its stream too: its sequence numbers stay consistent, and tshark dissects what is there.
"""

from __future__ import annotations

import ipaddress
import struct
from typing import Iterator, List, Tuple

from ..cases import Result
from . import RunInfo

MSS = 1460
SERVER_PORT = 80
FIRST_CLIENT_PORT = 20000
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
_ETHERNET = bytes.fromhex("020000000002" "020000000001") + b"\x08\x00"  # to the server's MAC, from the client's
_ETHERNET_BACK = bytes.fromhex("020000000001" "020000000002") + b"\x08\x00"
LINKTYPE_ETHERNET = 1


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def addresses(host: str) -> Tuple[bytes, bytes]:
    """(client, server) IPv4 addresses for a target host."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if isinstance(ip, ipaddress.IPv4Address):
        client = "127.0.0.1" if ip.is_loopback else "192.0.2.1"
        return ipaddress.IPv4Address(client).packed, ip.packed
    return ipaddress.IPv4Address("192.0.2.1").packed, ipaddress.IPv4Address("192.0.2.2").packed


class _Stream:
    """One synthesized TCP connection: its ports, next sequence numbers, and the frames made so far."""

    def __init__(self, client: bytes, server: bytes, port: int) -> None:
        self.client, self.server, self.port = client, server, port
        self.seq = {True: (port * 7919) & 0xFFFFFFFF, False: (port * 104729) & 0xFFFFFFFF}  # by "from client"
        self.opened = self.fin_sent = self.reset = False
        self.ip_id = 0
        self.last_us = -1
        self.frames: List[Tuple[int, bytes]] = []

    def packet(self, us: int, from_client: bool, flags: int, payload: bytes = b"") -> None:
        us = max(us, self.last_us + 1)  # a stream's packets never share a timestamp: their order is kept
        self.last_us = us
        src, dst = (self.client, self.server) if from_client else (self.server, self.client)
        sport, dport = (self.port, SERVER_PORT) if from_client else (SERVER_PORT, self.port)
        seq, ack = self.seq[from_client], self.seq[not from_client]
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack if flags & ACK else 0, 5 << 4, flags, 65535, 0, 0)
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
        tcp = tcp[:16] + struct.pack("!H", _checksum(pseudo + tcp + payload)) + tcp[18:]
        self.ip_id = (self.ip_id + 1) & 0xFFFF
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), self.ip_id, 0x4000, 64, 6, 0,
                         src, dst)
        ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
        self.frames.append((us, (_ETHERNET if from_client else _ETHERNET_BACK) + ip + tcp + payload))
        self.seq[from_client] = (seq + len(payload) + (1 if flags & (SYN | FIN) else 0)) & 0xFFFFFFFF

    def open(self, us: int) -> None:
        self.opened = True
        self.packet(us, True, SYN)
        self.packet(us, False, SYN | ACK)
        self.packet(us, True, ACK)

    def data(self, us: int, from_client: bool, data: bytes) -> None:
        for i in range(0, len(data), MSS):
            last = i + MSS >= len(data)
            self.packet(us, from_client, ACK | (PSH if last else 0), data[i:i + MSS])

    def event(self, us: int, kind: str, data: bytes) -> None:
        if not self.opened:
            self.open(us)
            if kind == "open":
                return
        if kind in ("send", "recv") and data:
            self.data(us, kind == "send", data)
        elif kind in ("half-close", "close") and not self.fin_sent and not self.reset:
            self.fin_sent = True
            self.packet(us, True, FIN | ACK)
        elif kind == "eof":
            self.packet(us, False, FIN | ACK)
        elif kind == "reset" and not self.reset:
            self.reset = True
            self.packet(us, False, RST | ACK)


def frames(results: List[Result], run: RunInfo) -> Iterator[Tuple[int, bytes]]:
    """Every case's streams as (microseconds since the epoch, Ethernet frame), in time order."""
    client, server = addresses(run.host)
    out: List[Tuple[int, bytes]] = []
    port = FIRST_CLIENT_PORT
    for r in results:
        start = r.started or run.started
        streams = {}
        for e in r.wire:
            if e.conn not in streams:
                streams[e.conn] = _Stream(client, server, port)
                port = port + 1 if port < 65535 else FIRST_CLIENT_PORT
            streams[e.conn].event(round((start + e.t) * 1e6), e.dir, e.data)
        for s in streams.values():
            out.extend(s.frames)
    out.sort(key=lambda f: f[0])  # stable: a stream's packets keep their order
    return iter(out)


def write(path: str, results: List[Result], run: RunInfo) -> None:
    with open(path, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_ETHERNET))
        for us, frame in frames(results, run):
            fh.write(struct.pack("<IIII", us // 1_000_000, us % 1_000_000, len(frame), len(frame)))
            fh.write(frame)
