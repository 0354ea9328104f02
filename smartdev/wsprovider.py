"""A synchronous JSON-RPC provider over WebSocket (web3 8 ships only an async one).

Imported only when a network URL is ws:// or wss://.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

from web3.providers.base import JSONBaseProvider
from web3.types import RPCEndpoint, RPCResponse


class SyncWebSocketProvider(JSONBaseProvider):
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        super().__init__()
        self.endpoint_uri = url
        self.timeout = timeout
        self._ws: Any = None
        self._stack = ExitStack()

    def _socket(self) -> Any:
        if self._ws is None:
            from websockets.sync.client import connect

            try:
                self._ws = self._stack.enter_context(
                    connect(self.endpoint_uri, open_timeout=self.timeout, max_size=None)
                )
            except Exception as exc:  # refused, DNS, handshake: one thing to the user
                raise OSError(f"websocket connection failed: {exc}") from None
        return self._ws

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        ws = self._socket()
        request = self.encode_rpc_request(method, params)
        request_id = json.loads(request)["id"]
        ws.send(request.decode())
        while True:
            try:
                raw = ws.recv(timeout=self.timeout)
            except TimeoutError:
                raise TimeoutError(f"no answer to {method} within {self.timeout:g} s") from None
            response = self.decode_rpc_response(raw if isinstance(raw, bytes) else raw.encode())
            if response.get("id") == request_id:  # skip subscription notifications
                return response

    def is_connected(self, show_traceback: bool = False) -> bool:
        try:
            self.make_request(RPCEndpoint("web3_clientVersion"), [])
        except Exception:
            if show_traceback:
                raise
            return False
        return True

    def close(self) -> None:
        self._stack.close()
        self._ws = None
