"""Run a script with every internet connection refused and recorded. Used by tests/test_curves.py:

    python -m tests._offline_run LOG SCRIPT [ARGS...]

Each attempt to connect an AF_INET/AF_INET6 socket to a non-loopback address raises ConnectionRefusedError and
appends "host port" to LOG, so a library that swallows the error (and falls back quietly) is still caught. Loopback
stays open: a local tool may talk to itself. DNS lookups go through getaddrinfo, which is refused the same way.
"""

import runpy
import socket
import sys


def main() -> None:
    log_path, script, *args = sys.argv[1:]
    real_connect, real_connect_ex, real_getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def record(what: str) -> None:
        with open(log_path, "a") as log:
            log.write(what + "\n")

    def is_loopback(host) -> bool:
        return str(host) in ("localhost", "::1") or str(host).startswith("127.")

    def guarded(real):
        def connect(self, address):
            if self.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
                record(f"{address[0]} {address[1]}")
                raise ConnectionRefusedError(f"tests/_offline_run.py: no network ({address[0]}:{address[1]})")
            return real(self, address)

        return connect

    def getaddrinfo(host, *rest, **kwargs):
        if host is not None and not is_loopback(host):
            record(f"{host} dns")
            raise socket.gaierror(f"tests/_offline_run.py: no network (lookup of {host})")
        return real_getaddrinfo(host, *rest, **kwargs)

    socket.socket.connect = guarded(real_connect)
    socket.socket.connect_ex = guarded(real_connect_ex)
    socket.getaddrinfo = getaddrinfo
    sys.argv = [script, *args]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
