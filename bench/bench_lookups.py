"""Lookup benchmarks: client-side signing cost (engineer E) and service throughput (engineer D).

    .venv/bin/python bench/bench_lookups.py [--requests N] [--only NAME]

Each part is a ``bench_*(requests: int = ...)`` function that prints its figures; ``main`` runs every
one defined here (add a part by adding a function). No assertions: the figures are read by people.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.lookup_loop import LookupLoop
from kiosk.signing.keys import (
    generate_private_key,
    load_private_key,
    load_public_key,
    public_key_pem,
    save_private_key,
    save_public_key,
)
from kiosk.signing.kiosk_auth import ResponseSignatureError, sign_request, verify_response
from kiosk.signing.service_verifier import ReplayCache, RequestVerifier, sign_response_headers

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


# --------------------------------------------------------------------- client side (engineer E)


def bench_client_signing(requests: int = 300) -> dict[str, float]:
    """Client-side cost per lookup of RFC 9421 signing and response verification (no network).

    Prints and returns microseconds per request for: signing a lookup request, verifying a signed,
    bound response, and a whole ``LookupClient.lookup`` through ``httpx.MockTransport`` (which includes
    the mock's own request verification and response signing, reported separately so the client's
    share can be read off).
    """
    import json
    import statistics
    import tempfile
    import time
    from pathlib import Path

    import httpx

    from kiosk.client import LookupClient
    from kiosk.config import KioskConfig
    from kiosk.eligibility import LookupRequest

    kiosk_key = generate_private_key()
    service_key = generate_private_key()
    body = json.dumps({
        "result_code": "050", "eligible": False, "person": None, "insurance": None,
        "checked_at": "2025-06-01T08:30:00+07:00", "lookup_id": "lk-1",
    }).encode()
    wire = {"id_number": "027098001234", "full_name": "Nguyễn Văn An", "date_of_birth": "1998-08-15",
            "facility_code": "27001", "operator": {"name": "Trần Thị Lan", "id_number": "027085001234"}}
    verifier = RequestVerifier(lambda keyid: kiosk_key.public_key(), ReplayCache())

    def timed(fn: Callable[[], object], n: int) -> float:
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1e6

    def make_request() -> httpx.Request:
        return httpx.Request("POST", "http://127.0.0.1:8000/v1/eligibility/lookups", json=wire)

    def sign_only() -> None:
        sign_request(make_request(), kiosk_key, "kiosk-1")

    build_us = timed(make_request, requests)
    sign_us = timed(sign_only, requests) - build_us

    # A signed, bound response to verify (built once per sample outside the timing).
    def server_side(request: httpx.Request) -> httpx.Response:
        request.read()
        verified = verifier.verify(request.method, str(request.url), list(request.headers.multi_items()),
                                   request.content)
        headers = sign_response_headers(200, [("content-type", "application/json")], body,
                                                service_key, request_signature=verified)
        return httpx.Response(200, headers=headers, content=body, request=request)

    pairs = []
    for _ in range(requests):
        req = make_request()
        sign_request(req, kiosk_key, "kiosk-1")
        pairs.append((req, server_side(req)))
    verify_samples = []
    for req, resp in pairs:
        start = time.perf_counter()
        verify_response(resp, req, service_key.public_key())
        verify_samples.append(time.perf_counter() - start)
    verify_us = statistics.median(verify_samples) * 1e6

    server_samples = []
    for _ in range(requests):
        req = make_request()
        sign_request(req, kiosk_key, "kiosk-1")
        start = time.perf_counter()
        server_side(req)
        server_samples.append(time.perf_counter() - start)
    server_us = statistics.median(server_samples) * 1e6

    with tempfile.TemporaryDirectory() as tmp:
        key_path = Path(tmp) / "kiosk.pem"
        save_private_key(kiosk_key, key_path)
        config = KioskConfig(kiosk_id="kiosk-1", facility_code="27001", operator_name="Trần Thị Lan",
                             operator_id="027085001234", service_url="http://127.0.0.1:8000",
                             service_key=public_key_pem(service_key.public_key()).decode(),
                             private_key=key_path)
        lookup = LookupRequest("027098001234", "Nguyễn Văn An", "1998-08-15", "27001", "Trần Thị Lan",
                               "027085001234")
        client = LookupClient(config, transport=httpx.MockTransport(server_side))
        loop = LookupLoop()  # as in the pipeline: the lookup runs on the lookup loop, the caller waits
        loop.start()
        try:
            outcome = loop.submit(client.lookup(lookup)).result().outcome.value
            lookup_us = timed(lambda: loop.submit(client.lookup(lookup)).result(), requests)
            loop.submit(client.aclose()).result()
        finally:
            loop.stop()

    figures = {"sign_us": sign_us, "verify_us": verify_us, "mock_server_us": server_us,
               "lookup_us": lookup_us, "client_overhead_us": lookup_us - server_us}
    print(f"client signing+verification, median of {requests} requests (outcome {outcome}):")
    print(f"  sign request:              {sign_us:8.0f} µs")
    print(f"  verify response:           {verify_us:8.0f} µs")
    print(f"  sign + verify:             {sign_us + verify_us:8.0f} µs per lookup")
    print(f"  whole client lookup (mock transport): {lookup_us:8.0f} µs, of which mock server "
          f"{server_us:.0f} µs -> client {lookup_us - server_us:.0f} µs")
    return figures


def bench_cancel_latency(requests: int = 300) -> dict[str, float]:
    """How fast a cancel ends a lookup whose request is in flight, and which threads run meanwhile.

    The mock service runs in this process on 127.0.0.1 with every request hanging (``hang=1``); the lookup runs
    as a task on a :class:`~kiosk.lookup_loop.LookupLoop` as in the pipeline; after 100 ms another thread
    cancels the task (``call_soon(task.cancel)``, as the pipeline's cancel does) and waits for the CANCELLED
    result. ``requests`` / 10 cancels (at least 10).
    """
    import asyncio
    import statistics
    import tempfile
    import threading
    import time
    from concurrent.futures import Future

    from kiosk.client import LookupClient
    from kiosk.config import KioskConfig
    from kiosk.eligibility import EligibilityResult, LookupRequest
    from kiosk.standins.population import generate_population
    from kiosk.standins.service.server import start_service, trusted_keys_dir

    population = generate_population(seed=1, size=40)
    person = population.with_code("000")[0]
    staff = population.staff_member("27001")
    samples: list[float] = []
    threads_seen: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        kiosk_key = generate_private_key()
        save_private_key(kiosk_key, Path(tmp) / "kiosk.pem")
        save_public_key(kiosk_key.public_key(), trusted_keys_dir(Path(tmp) / "svc") / "bench-kiosk.pem")
        with start_service(population=population, keys_dir=Path(tmp) / "svc") as service:
            service.set_faults("hang=1")
            config = KioskConfig(kiosk_id="bench-kiosk", facility_code="27001", operator_name=staff.identity.full_name,
                                 operator_id=staff.identity.id_number, service_url=service.url,
                                 service_key=public_key_pem(service.service_public_key).decode(),
                                 private_key=Path(tmp) / "kiosk.pem", read_timeout_s=30.0)
            client = LookupClient(config)
            request = LookupRequest.from_card(person.identity, config)

            async def start_lookup() -> tuple[asyncio.Task[EligibilityResult], Future[EligibilityResult]]:
                """The lookup as a task on the loop, and a future (for this thread) of how it ends."""
                task = asyncio.create_task(client.lookup(request))
                ended: Future[EligibilityResult] = Future()
                task.add_done_callback(lambda done: ended.set_result(done.result()))
                return task, ended

            loop = LookupLoop()
            before = {t.name for t in threading.enumerate()}
            loop.start()
            try:
                for _ in range(max(10, requests // 10)):
                    task, ended = loop.submit(start_lookup()).result(5)
                    time.sleep(0.1)  # the request is on the wire; the service sits on it
                    threads_seen |= {t.name for t in threading.enumerate()} - before
                    start = time.perf_counter()
                    loop.call_soon(task.cancel)  # as the pipeline cancels a lookup from the GUI thread
                    outcome = ended.result(5).outcome.value
                    samples.append((time.perf_counter() - start) * 1000)
                    assert outcome == "cancelled", outcome
                loop.submit(client.aclose()).result()
            finally:
                loop.stop()
    median, worst = statistics.median(samples), max(samples)
    print(f"cancel of a lookup in flight, {len(samples)} cancels: {median:.1f} ms median, {worst:.1f} ms worst "
          f"(target <= 50 ms)")
    print(f"  threads of this process besides the service's while a lookup is in flight: {sorted(threads_seen)}")
    return {"cancel_ms_median": median, "cancel_ms_worst": worst}


# --------------------------------------------------------------------- service side (engineer D)


def bench_signature_cost(requests: int = 300) -> dict[str, float]:
    """Per-request cost (ms) of the signing profile: kiosk signs, service verifies (with the replay
    check), service signs the bound response, kiosk verifies it. No network."""
    import statistics
    import time

    import httpx


    kiosk_key, service_key = generate_private_key(), generate_private_key()
    verifier = RequestVerifier(lambda keyid: kiosk_key.public_key(), ReplayCache())
    body = {"id_number": "027098001234", "full_name": "Nguyễn Văn An", "date_of_birth": "1998-08-15",
            "facility_code": "27001", "operator": {"name": "Trần Thị Lan", "id_number": "027085001234"}}
    answer = b'{"result_code":"000","eligible":true}'
    stages: dict[str, list[float]] = {"sign request": [], "verify request": [], "sign response": [],
                                      "verify response": []}
    for _ in range(requests):
        request = httpx.Request("POST", "http://127.0.0.1:8787/v1/eligibility/lookups", json=body)
        t0 = time.perf_counter()
        sign_request(request, kiosk_key, "kiosk-1")
        t1 = time.perf_counter()
        verified = verifier.verify(request.method, str(request.url), list(request.headers.multi_items()),
                                   request.content)
        t2 = time.perf_counter()
        headers = sign_response_headers(200, [("content-type", "application/json")], answer,
                                                service_key, request_signature=verified)
        t3 = time.perf_counter()
        verify_response(httpx.Response(200, headers=headers, content=answer, request=request), request,
                                service_key.public_key())
        t4 = time.perf_counter()
        for name, value in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[name].append(value * 1000)
    figures = {name: statistics.median(values) for name, values in stages.items()}
    print(f"signing profile cost, median of {requests} requests (ms):")
    for name, value in figures.items():
        print(f"  {name:<16} {value:6.3f} ms")
    request_total = figures["sign request"] + figures["verify request"]
    print(f"  request sign + verify:          {request_total:6.3f} ms (target <= 0.5 ms)")
    print(f"  whole round trip (4 operations): {sum(figures.values()):6.3f} ms")
    return figures


def _process_cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far; None where /proc is not there (Windows)."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _throughput_client(
    url: str,
    kiosk_key_path: str,
    keyid: str,
    service_pem: bytes,
    bodies: list[dict[str, object]],
    count: int,
    threads: int,
    verify_responses: bool,
    ready: Any,
    start: Any,
    results: Any,
) -> None:
    """One benchmark client process: ``threads`` keep-alive connections, ``count`` signed lookups in all.

    Each lookup is a new ``httpx.Request`` signed with :func:`kiosk.sign_request` (fresh nonce
    and ``created``) and sent with the standard library's ``http.client`` (cheaper than httpx's
    transport); with ``verify_responses`` every answer is checked with
    :func:`kiosk.verify_response` (signature, binding to the request, digest).
    """
    import http.client
    import threading
    import time
    import urllib.parse

    import httpx


    kiosk_key = load_private_key(Path(kiosk_key_path))
    service_key = load_public_key(service_pem.decode("ascii"))
    parts = urllib.parse.urlsplit(url)
    target = url + "/v1/eligibility/lookups"
    statuses: dict[str, int] = {}
    lock = threading.Lock()

    def one(connection: http.client.HTTPConnection, body: dict[str, object]) -> str:
        request = httpx.Request("POST", target, json=body)
        sign_request(request, kiosk_key, keyid)
        connection.request("POST", request.url.raw_path.decode("ascii"), body=request.content,
                           headers=dict(request.headers))
        answer = connection.getresponse()
        content = answer.read()
        if not verify_responses:
            return str(answer.status)
        response = httpx.Response(answer.status, headers=answer.getheaders(), content=content, request=request)
        try:
            verify_response(response, request, service_key)
        except ResponseSignatureError as exc:
            return f"{answer.status} bad response signature ({exc.reason})"
        return str(answer.status)

    connections = [http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
                   for _ in range(threads)]
    for connection in connections:  # warm-up: open the connection, not counted
        one(connection, bodies[0])
    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]

    def worker(index: int) -> None:
        seen: dict[str, int] = {}
        offset = sum(shares[:index])
        for i in range(shares[index]):
            status = one(connections[index], bodies[(offset + i) % len(bodies)])
            seen[status] = seen.get(status, 0) + 1
        with lock:
            for status, n in seen.items():
                statuses[status] = statuses.get(status, 0) + n

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    ready.release()
    start.wait()
    cpu0 = time.process_time()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    cpu = time.process_time() - cpu0
    for connection in connections:
        connection.close()
    results.put((statuses, cpu))


def bench_service_throughput(requests: int = 3000, processes: int = 2, threads: int = 2) -> dict[str, float]:
    """Signed lookups per second through the real service on loopback.

    The service runs as ``bhyt-kiosk service`` in its own process (uvicorn, one worker: the replay cache
    lives in that process) and checks every request in full: signature, time policy, digest and replay
    cache; it signs every answer, bound to the request signature. The load comes from ``processes``
    client processes with ``threads`` keep-alive connections each (``processes * threads`` requests in
    flight), every request signed afresh. Two runs: clients that also verify every answer (signature,
    binding, digest), and clients that only sign (the service's own capacity; the client's verification
    cost is measured by ``bench_client_signing``). Client and service share the machine's CPUs, so the
    service's own CPU time per lookup is printed too (Linux: from /proc).
    """
    import multiprocessing
    import os
    import tempfile
    import time

    from service_process import service_process

    from kiosk.standins.population import generate_population

    requests = max(requests, 2000)
    population = generate_population()  # the service's default population (seed 1, 1000 people)
    staff = population.staff_member("27001")
    bodies = [
        {"id_number": p.identity.id_number, "full_name": p.identity.full_name,
         "date_of_birth": p.identity.date_of_birth.iso(), "facility_code": "27001",
         "operator": {"name": staff.identity.full_name, "id_number": staff.identity.id_number}}
        for p in population
    ]
    kiosk_key = generate_private_key()
    figures: dict[str, float] = {}
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        keys_dir = Path(tmp) / "keys"
        save_public_key(kiosk_key.public_key(), keys_dir / "trusted" / "bench-kiosk.pem")
        kiosk_key_path = Path(tmp) / "bench-kiosk.pem"
        save_private_key(kiosk_key, kiosk_key_path)
        with service_process(keys_dir) as service:
            url, server, service_pem = service.url, service.process, service.public_pem
            print(f"service throughput: {requests} signed lookups per run, {processes} client processes x "
                  f"{threads} connections, service in its own process, {os.cpu_count()} CPUs shared by all")
            for verify_responses in (True, False):
                ready, start, results = context.Semaphore(0), context.Event(), context.Queue()
                counts = [requests // processes + (1 if i < requests % processes else 0) for i in range(processes)]
                clients = [
                    context.Process(target=_throughput_client, args=(
                        url, str(kiosk_key_path), "bench-kiosk", service_pem, bodies, counts[i], threads,
                        verify_responses, ready, start, results))
                    for i in range(processes)
                ]
                for client in clients:
                    client.start()
                for _ in clients:
                    if not ready.acquire(timeout=60):
                        raise RuntimeError("a benchmark client did not start")
                server_cpu0 = _process_cpu_s(server.pid)
                t0 = time.perf_counter()
                start.set()
                outcomes = [results.get(timeout=300) for _ in clients]
                elapsed = time.perf_counter() - t0
                server_cpu1 = _process_cpu_s(server.pid)
                for client in clients:
                    client.join(30)
                statuses: dict[str, int] = {}
                for seen, _cpu in outcomes:
                    for status, n in seen.items():
                        statuses[status] = statuses.get(status, 0) + n
                client_cpu_ms = sum(cpu for _, cpu in outcomes) * 1000 / requests
                rate = requests / elapsed
                name = "clients verify every answer" if verify_responses else "clients sign only"
                print(f"  {name + ':':<30} {rate:6.0f} lookups/s  ({elapsed * 1000 / requests:.2f} ms each on "
                      f"average; statuses {statuses})")
                line = f"  {'':<30} client CPU {client_cpu_ms:.2f} ms per lookup"
                if server_cpu0 is not None and server_cpu1 is not None:
                    service_ms = (server_cpu1 - server_cpu0) * 1000 / requests
                    line += (f"; service CPU {service_ms:.2f} ms per lookup "
                             f"(one core would serve {1000 / service_ms:.0f}/s)")
                    figures[f"service_cpu_ms{'' if verify_responses else '_sign_only'}"] = service_ms
                print(line)
                figures["lookups_per_s" if verify_responses else "lookups_per_s_sign_only"] = rate
    print("  (every request: signature, time policy, Content-Digest and replay cache checked by the service,")
    print("   every answer signed and bound to its request; nothing pre-signed or cached)")
    return figures


# --------------------------------------------------------------------- runner


def _parts() -> dict[str, Callable[..., object]]:
    return {name: fn for name, fn in globals().items() if name.startswith("bench_") and callable(fn)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement (default 300)")
    parser.add_argument("--only", choices=sorted(_parts()), help="run one part only")
    args = parser.parse_args(argv)
    for name, fn in _parts().items():
        if args.only and name != args.only:
            continue
        fn(requests=args.requests)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
