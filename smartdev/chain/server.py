"""Serve an embedded chain over JSON-RPC/HTTP: ``python -m smartdev.chain.server``.

One POST carries a JSON-RPC request or a batch (a JSON array); every POST is
answered after the chain's state is committed, so a crash loses at most the
request in flight. GET / answers a small JSON status, OPTIONS answers CORS
preflights so that a dapp in a browser can talk to the node. Connections are
HTTP/1.1 keep-alive, one thread each, with one lock around the chain.

As a process it opens the chain (``--state FILE`` keeps it across restarts),
prints ``smartdev-node listening on http://HOST:PORT chain_id=N`` once it
accepts connections, and on SIGTERM or SIGINT stops serving, commits, closes
the state file and exits 0. A failure to start prints ``error: …`` to stderr
and exits 8 (``ExitStatus.NODE``).
"""

from __future__ import annotations

import argparse
import errno
import json
import signal
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdev.embedded import DEFAULT_CHAIN_ID, open_chain
from smartdev.errors import ExitStatus, NodeError

if TYPE_CHECKING:
    from smartdev.embedded import EmbeddedChain

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8545
MAX_BODY_BYTES = 64 * 1024 * 1024
_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Authorization",
    "Access-Control-Max-Age": "86400",
}


class RPCServer:
    """A bound HTTP server for one chain; :meth:`serve_forever` starts answering."""

    def __init__(self, httpd: _HTTPServer) -> None:
        self._httpd = httpd
        self._state_lock = threading.Lock()
        self._serving = False
        self._closed = False
        host, port = httpd.server_address[:2]
        self.url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (call it from another thread)."""
        with self._state_lock:
            if self._closed:
                return
            self._serving = True
        self._httpd.serve_forever()

    def shutdown(self) -> None:
        """Stop serving, wait for the loop to end and close the listening socket."""
        with self._state_lock:
            self._closed = True
            serving = self._serving
        if serving:
            self._httpd.shutdown()
        self._httpd.server_close()


def serve(chain: EmbeddedChain, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> RPCServer:
    """Bind ``host:port`` (port 0 picks a free one) for ``chain``; not serving yet.

    Raises :class:`NodeError` if the address cannot be bound.
    """
    try:
        httpd = _HTTPServer((host, port), chain)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise NodeError(
                f"port {port} on {host} is already in use",
                hint="Stop whatever listens there, or pick another port with --port.",
            ) from None
        raise NodeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return RPCServer(httpd)


class _HTTPServer(ThreadingHTTPServer):
    """The threading HTTP server, holding the chain and the lock around it."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], chain: EmbeddedChain) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.chain = chain
        self.chain_lock = threading.Lock()
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that went away; report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def answer(self, body: bytes) -> Any:
        """The JSON-RPC answer to a POST body: one response, a list of them, or an error."""
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            return _error_response(-32700, f"parse error: {exc}")
        if isinstance(payload, list) and not payload:
            return _error_response(-32600, "invalid request: empty batch")
        with self.chain_lock:
            if isinstance(payload, list):
                answer: Any = [self.chain.handle(request) for request in payload]
            else:
                answer = self.chain.handle(payload)
            try:
                self.chain.commit()
            except Exception as exc:  # noqa: BLE001 - reported to the client
                return _error_response(-32603, f"could not save the chain state: {exc}")
        return answer

    def status(self) -> dict[str, Any]:
        """What GET / answers: client, chain id, head block and state file."""
        with self.chain_lock:
            client = self.chain.handle({"id": 0, "method": "web3_clientVersion"})
            head = self.chain.handle({"id": 0, "method": "eth_blockNumber"})
        return {
            "client": client.get("result"),
            "chainId": self.chain.chain_id,
            "blockNumber": int(head["result"], 16) if "result" in head else None,
            "stateFile": str(self.chain.state_file) if self.chain.state_file else None,
        }


def _error_response(code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive handler: POST JSON-RPC, GET / status, OPTIONS preflight."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in one write (flushed after each request) with
    # Nagle off, so keep-alive clients do not wait out delayed ACKs.
    wbufsize = -1
    disable_nagle_algorithm = True
    server: _HTTPServer

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._send(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length is required"})
            return
        if int(length) > MAX_BODY_BYTES:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "request body too large"})
            self.close_connection = True
            return
        body = self.rfile.read(int(length))
        self._send(HTTPStatus.OK, self.server.answer(body))

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] != "/":
            self._send(HTTPStatus.NOT_FOUND, {"error": "not found; POST JSON-RPC requests to /"})
            return
        self._send(HTTPStatus.OK, self.server.status())

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self._send_cors_headers()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, payload: Any) -> None:
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        self.send_response(status)
        self._send_cors_headers()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_cors_headers(self) -> None:
        for name, value in _CORS_HEADERS.items():
            self.send_header(name, value)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        """Stay quiet: no line per request."""


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m smartdev.chain.server",
        description="Serve smartdev's embedded EVM over JSON-RPC/HTTP.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0: any free port)")
    parser.add_argument("--state", type=Path, default=None, help="SQLite state file to keep the chain in")
    parser.add_argument("--chain-id", type=int, default=DEFAULT_CHAIN_ID, help="chain id")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the node until SIGTERM/SIGINT; 0 after a clean stop, 8 if it cannot start."""
    args = _parse_args(argv)
    try:
        chain = open_chain(chain_id=args.chain_id, state_file=args.state)
    except NodeError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return ExitStatus.NODE
    try:
        server = serve(chain, args.host, args.port)
    except NodeError as exc:
        chain.close()
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return ExitStatus.NODE
    _run_until_signalled(server, f"smartdev-node listening on {server.url} chain_id={chain.chain_id}")
    chain.close()
    return ExitStatus.SUCCESS


def _run_until_signalled(server: RPCServer, banner: str) -> None:
    """Serve in a thread, print ``banner`` and stop cleanly on SIGTERM or SIGINT."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    thread = threading.Thread(target=server.serve_forever, name="smartdev-node", daemon=True)
    thread.start()
    print(banner, flush=True)
    stop.wait()
    server.shutdown()
    thread.join()


if __name__ == "__main__":
    raise SystemExit(main())
