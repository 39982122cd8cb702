"""A local FHIR endpoint for tests: a real uvicorn server on 127.0.0.1 (free port) that parses what it receives with
the FHIR R4 models independently of the sender, and can fail its first requests (503) or refuse (400)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fhir.resources.R4B.bundle import Bundle


@dataclass
class EndpointState:
    fail_first: int = 0  # answer 503 to this many requests first
    refuse: bool = False  # answer 400 with an OperationOutcome
    refusal: str = "unknown facility"  # the OperationOutcome's diagnostics when refusing
    received: list[Bundle] = field(default_factory=list)
    requests: int = 0
    content_types: list[str] = field(default_factory=list)


def _app(state: EndpointState) -> FastAPI:
    app = FastAPI()

    @app.post("/fhir")
    async def transaction(request: Request) -> JSONResponse:
        state.requests += 1
        state.content_types.append(request.headers.get("content-type", ""))
        if state.requests <= state.fail_first:
            return JSONResponse({"resourceType": "OperationOutcome", "issue": [
                {"severity": "error", "code": "transient", "diagnostics": "database busy"}]}, status_code=503)
        if state.refuse:
            return JSONResponse({"resourceType": "OperationOutcome", "issue": [
                {"severity": "error", "code": "business-rule", "diagnostics": state.refusal}]}, status_code=400)
        bundle = Bundle.model_validate_json(await request.body())
        state.received.append(bundle)
        entries: list[dict[str, Any]] = [{"response": {"status": "201 Created"}} for _ in bundle.entry or []]
        return JSONResponse({"resourceType": "Bundle", "type": "transaction-response", "entry": entries})

    return app


class HisEndpoint:
    def __init__(self, state: EndpointState | None = None) -> None:
        self.state = state or EndpointState()
        self._sock = socket.create_server(("127.0.0.1", 0))
        port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/fhir"
        config = uvicorn.Config(_app(self.state), lifespan="off", access_log=False, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()

    def __enter__(self) -> HisEndpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
