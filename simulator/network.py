"""Where this server can be reached from: loopback or the room's network. No Flask."""

from __future__ import annotations

import socket
from collections.abc import Callable


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.x, localhost, ::1)."""
    host = host.strip("[]").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def lan_address() -> str | None:
    """This machine's address on the local network, found without sending anything.

    Connecting a UDP socket sends no packet: it only asks the kernel which interface, and
    so which source address, would be used to reach a private address.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def public_host(host: str, lan: Callable[[], str | None] = lan_address) -> str:
    """The host to print in links: the LAN address when listening on every interface."""
    if host in ("0.0.0.0", "", "::"):
        return lan() or "127.0.0.1"
    return f"[{host}]" if ":" in host else host
