import socket

import pytest


@pytest.fixture
def dns(monkeypatch):
    """The resolver as the test sets it: a dict of name -> addresses. Numeric addresses, odd spellings included,
    resolve as the system does (no lookup); any other name does not resolve, so no test asks the real DNS."""
    records = {"localhost": ["127.0.0.1", "::1"]}
    system = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if host in records:
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)) if ":" in address else
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in records[host]]
        return system(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return records
