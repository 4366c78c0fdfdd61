"""Webhooks go only to public addresses, unless an administrator allows an intranet one (design.md rule 15).

A webhook's URL is typed by any user, and the outcome of a test message is shown to them: without this, the server
would be their port scanner for 127.0.0.1, the intranet and the cloud's metadata service at 169.254.169.254. The
check runs on the addresses actually connected to — the name is resolved once, every address it resolves to is
checked, and the socket is opened to one of those checked addresses — so a name that resolved to a public address
when the channel was saved and to 127.0.0.1 when it is used (DNS rebinding) is refused too. Odd spellings of an
address (`2130706433`, `0x7f.1`, `127.1`, `::ffff:127.0.0.1`) are caught because they are checked as resolved.

Government intranets do run SMS gateways and 政务 IM robots on private addresses: WEBHOOK_ALLOWED_NETWORKS lists the
host names and networks (CIDR) that may be reached all the same.
"""

import http.client
import ipaddress
import socket
import ssl
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Where an IPv6 address carries an IPv4 one that a gateway will reach for it.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class ForbiddenTarget(Exception):
    """The address is not one a webhook may be sent to; the message says why, for the channel's owner."""


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if address.version == 4:
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def forbidden_reason(address: IPAddress) -> str | None:
    """Why a webhook may not go to this address, or None for a public one."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return forbidden_reason(embedded)  # what is reached is the IPv4 address it carries
    if address.is_loopback:
        return _("a loopback address (this server itself)")
    if address.is_link_local:
        return _("a link-local address (such as a cloud metadata service)")
    if address.is_unspecified:
        return _("an unspecified address")
    if address.is_multicast:
        return _("a multicast address")
    if address.is_private:
        return _("a private (intranet) address")
    if address.is_reserved or not address.is_global:
        return _("a reserved, non-public address")
    return None


def allowed_networks() -> tuple[frozenset[str], tuple]:
    """The administrator's allow-list, read at each use so that a test or a reload sees the current setting."""
    hosts, networks = set(), []
    for entry in settings.WEBHOOK_ALLOWED_NETWORKS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            if "/" in entry or ":" in entry:
                raise ImproperlyConfigured(
                    f"WEBHOOK_ALLOWED_NETWORKS: {entry!r} is neither a host nor a network") from None
            hosts.add(entry.lower().rstrip("."))
    return frozenset(hosts), tuple(networks)


def _host_allowed(host: str) -> bool:
    return host.lower().rstrip(".") in allowed_networks()[0]


def _check(host: str, address: IPAddress) -> None:
    reason = forbidden_reason(address)
    reached = _embedded_ipv4(address) or address
    if reason is None or any(reached in network for network in allowed_networks()[1]):
        return
    if str(address) == host.strip("[]"):
        message = _("The address %(address)s is %(reason)s; webhooks may only go to public addresses.")
    else:
        # The name's address stays unsaid: anyone may type a name, and must not map the intranet's DNS with it.
        message = _("%(host)s resolves to an address that is %(reason)s; webhooks may only go to public addresses.")
    raise ForbiddenTarget(message % {"host": host, "address": address, "reason": reason} + " " + _(
        "An administrator can allow an intranet gateway in the setting WEBHOOK_ALLOWED_NETWORKS."))


def resolve(host: str, port: int) -> list[tuple]:
    """Every address of the host, each checked; the caller connects only to these. socket.gaierror (an OSError)
    when the name does not resolve."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not _host_allowed(host):
        for *_rest, sockaddr in infos:
            _check(host, ipaddress.ip_address(sockaddr[0]))
    return infos


def check_url(url: str) -> None:
    """At save: refuse a URL whose host is, or resolves to, an address a webhook may not go to."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port out of range, an unclosed [IPv6
        parts = port = None
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ForbiddenTarget(_("Enter the full http:// or https:// address of the receiving service."))
    try:
        resolve(parts.hostname, port)
    except (socket.gaierror, UnicodeError):
        raise ForbiddenTarget(_("The host name %(host)s cannot be resolved; check the address.")
                              % {"host": parts.hostname}) from None


def create_connection(host: str, port: int, timeout, source_address=None) -> socket.socket:
    """socket.create_connection, to checked addresses only."""
    error = None
    for _family, _type, _proto, _name, sockaddr in resolve(host, port):
        try:
            # A numeric address: create_connection resolves nothing more.
            return socket.create_connection(sockaddr[:2], timeout, source_address)
        except OSError as exc:
            error = exc
    raise error or OSError(f"{host}: no address")


class GuardedHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = create_connection(self.host, self.port, self.timeout, self.source_address)


class GuardedHTTPSConnection(http.client.HTTPSConnection, GuardedHTTPConnection):
    """HTTPSConnection.connect() opens the socket through GuardedHTTPConnection.connect() (the next class in the
    method order) and then wraps it in TLS for the host name: certificate and SNI stay those of the URL's host."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(GuardedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self):
        super().__init__()
        self.ssl_context = ssl.create_default_context()

    def https_open(self, req):
        return self.do_open(GuardedHTTPSConnection, req, context=self.ssl_context)


class _OtherSchemesRefused(urllib.request.BaseHandler):
    def unknown_open(self, req):
        raise ForbiddenTarget(_("Enter the full http:// or https:// address of the receiving service."))


def opener() -> urllib.request.OpenerDirector:
    """http and https only (no file:, ftp: or data:), through the guarded connections; no proxy (it would be the
    address connected to) and no redirect (its target could be anywhere): a 3xx comes back as an HTTPError."""
    director = urllib.request.OpenerDirector()
    for handler in (_OtherSchemesRefused(), _HTTPHandler(), _HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        director.add_handler(handler)
    return director
