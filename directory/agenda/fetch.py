"""Reading an association's calendar from its address, safely (no server-side request forgery).

- http and https only, on any port;
- the host is resolved once, every address it resolves to is checked (no private, loopback,
  link-local, multicast, reserved or unspecified address, IPv4-mapped IPv6 included), and the
  connection goes to the checked address (TLS still verifies the certificate of the host name):
  a DNS answer that changes between the check and the connection (rebinding) is never used;
- each redirect (at most 3) is checked the same way;
- 5 seconds in all (a server trickling bytes is cut at the deadline) and 2 MB at most.

`allowed_addresses` lifts the check for these exact addresses: the tests' local fake server
(127.0.0.1) only; nothing in the site passes it.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Container
from typing import cast
from urllib.parse import SplitResult, urljoin, urlsplit

from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 5.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "LyonAssos-Agenda/1.0 (+https://lyon-assos.fr/agenda/)"
CHUNK = 64 * 1024


class FetchError(Exception):
    """The calendar could not be read; the message is shown to the listing's managers."""


def _refused_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve(host: str, port: int, *, allowed_addresses: Container[str] = ()) -> list[tuple[int, str]]:
    """The checked (family, address) of `host` (all must pass), in resolver order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(_("Adresse introuvable : %(host)s.") % {"host": host}) from error
    addresses: list[tuple[int, str]] = []
    for family, _type, _proto, _name, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = cast(str, sockaddr[0])  # an IP address for AF_INET and AF_INET6
        if address not in allowed_addresses and _refused_address(address):
            raise FetchError(
                _("L'adresse %(host)s mène à un réseau privé : elle n'est pas lue.") % {"host": host}
            )
        if (family, address) not in addresses:
            addresses.append((family, address))
    if not addresses:
        raise FetchError(_("Adresse introuvable : %(host)s.") % {"host": host})
    return addresses


def _connect(family: int, address: str, port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to the checked address itself: no second name resolution."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect((address, port))
    except OSError:
        sock.close()
        raise
    return sock


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address, whatever the resolver would answer now; the Host header
    still names the host."""

    def __init__(self, host: str, port: int, *, address: tuple[int, str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.family, self.address = address

    def connect(self) -> None:
        self.sock = _connect(self.family, self.address, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host name (SNI too)."""

    def __init__(self, host: str, port: int, *, address: tuple[int, str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.family, self.address = address

    def connect(self) -> None:
        sock = _connect(self.family, self.address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]  # HTTPSConnection's own (private)
            sock, server_hostname=self.host
        )


def _check_url(url: str) -> tuple[SplitResult, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(_("Seules les adresses http:// et https:// sont lues."))
    if not parts.hostname:
        raise FetchError(_("Adresse incomplète."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError(_("Adresse incomplète.")) from error
    return parts, port


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(_("Le serveur du calendrier ne répond pas assez vite (5 secondes)."))
    return left


def _read_body(
    connection: http.client.HTTPConnection,
    response: http.client.HTTPResponse,
    deadline: float,
    max_bytes: int,
) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(_("Le calendrier dépasse 2 Mo."))
    chunks: list[bytes] = []
    size = 0
    while True:
        if connection.sock is not None:  # each read waits no longer than what is left
            connection.sock.settimeout(_remaining(deadline))
        chunk = response.read1(CHUNK)  # what has arrived: a trickle cannot hold the loop
        _remaining(deadline)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_("Le calendrier dépasse 2 Mo."))
        chunks.append(chunk)
    return b"".join(chunks)


def _request(url: str, deadline: float, *, allowed_addresses: Container[str]) -> tuple[str | None, bytes]:
    parts, port = _check_url(url)
    host = cast(str, parts.hostname)  # _check_url refuses an address without one
    address = resolve(host, port, allowed_addresses=allowed_addresses)[0]
    connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = connection_class(host, port, address=address, timeout=_remaining(deadline))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
        )
        response = connection.getresponse()
        if response.status in REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise FetchError(_("Redirection sans adresse."))
            return location, b""
        if response.status != 200:
            raise FetchError(
                _("Le serveur du calendrier répond « %(status)s ».") % {"status": response.status}
            )
        return None, _read_body(connection, response, deadline, MAX_BYTES)
    except TimeoutError as error:
        raise FetchError(_("Le serveur du calendrier ne répond pas assez vite (5 secondes).")) from error
    except ssl.SSLError as error:
        raise FetchError(_("Le certificat https du calendrier n'est pas valide.")) from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(_("Le serveur du calendrier est injoignable.")) from error
    finally:
        connection.close()


def fetch_calendar(
    url: str, *, allowed_addresses: Container[str] = (), timeout: float = TIMEOUT_SECONDS
) -> bytes:
    """The body of the calendar at `url` (bytes), or FetchError with a message for the managers."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        location, body = _request(url, deadline, allowed_addresses=allowed_addresses)
        if location is None:
            return body
        url = urljoin(url, location)
    raise FetchError(_("Trop de redirections (plus de 3)."))
