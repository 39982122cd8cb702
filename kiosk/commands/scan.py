"""``bhyt-kiosk scan``: run the kiosk pipeline headless on a camera, video, image or folder of images.

One line per attempt (``--json``: one JSON object per line), every attempt recorded in the lookup log; a line is
printed once its attempt is committed (a SIGKILL right after loses nothing printed). A lookup log that cannot be
written (read-only, disk full) stops the command before it starts (exit 2).
A folder, video or image source ends at the end of the input, after its last attempt was answered and
recorded; a camera (or ``synthetic`` without a frame budget) runs until Ctrl-C.

Presentations: each image of a folder (or a single image) is its own card presentation. An image with
nothing decodable and no QR-like region makes no attempt; one with a QR-like region that never decodes
is an UNREADABLE attempt; the same card in two images is two attempts. A video or camera is a stream:
an attempt starts when a code appears and the same card is not looked up again while it stays in view or
within the hold-off after it left.

Background retries: a lookup without a definitive answer within the first-try deadline (``first_try_deadline_s``,
3 s) or with a transient failure is printed as pending, retried in the background, and printed again when it ends
(late answer, refusal, or abandoned after ``--retry-limit`` seconds, default the ``retry_limit_s`` setting: 600).
At the end of a finite input the run waits for its pending lookups, so it reports final outcomes.
``--retry-limit 0``: no background retries (the first try's outcome is final).

Exit status: 0 when the input was processed, whatever the outcomes; 2 when it cannot run (unusable
settings, unreadable source, unusable log database); 130 after Ctrl-C on a finite source.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.cli import CommandError
from kiosk.config import add_lookup_arguments

if TYPE_CHECKING:
    from kiosk.pipeline import PipelineEvent, RecordedAttempt

NAME = "scan"
HELP = "Run the kiosk pipeline headless on a camera, video, image or folder: one line per lookup attempt."

EPILOG = """each image of a folder is its own card presentation; a video or camera is a stream.
exit status: 0 the input was processed (whatever the outcomes); 2 unusable settings or source."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("--source", required=True, metavar="SRC",
                        help="camera index or device, video file, image, folder of images, or 'synthetic[:...]'")
    parser.add_argument("--db", type=Path, metavar="PATH", default=None,
                        help="lookup log database (default: the log_db setting, else this kiosk's)")
    parser.add_argument("--json", action="store_true", help="one JSON object per attempt")
    parser.add_argument("--hold-off", dest="hold_off_s", type=float, metavar="S", default=None,
                        help="camera/video: seconds before the same card is handled again after it left (default 5)")
    parser.add_argument("--retry-limit", dest="retry_limit", type=float, metavar="S", default=None,
                        help="retry lookups without a definitive answer in the background for up to S seconds, and "
                             "wait for them at the end of the input (default: the retry_limit_s setting, 600; "
                             "0: no background retries)")
    add_lookup_arguments(parser)


def attempt_json(recorded: RecordedAttempt) -> dict[str, Any]:
    """The ``--json`` line of one attempt (masked number and keyed hash only, never the number or name)."""
    a = recorded.attempt
    return {
        "attempt_id": a.attempt_id,
        "path": str(recorded.path) if recorded.path is not None else None,
        "source": a.source.value,
        "outcome": a.outcome.value if a.outcome is not None else None,
        "result_code": a.result_code,
        "eligible": a.eligible,
        "masked_id": a.masked_id,
        "stage": a.stage.value,
        "durations_ms": {"read": a.read_ms, "validate": a.validate_ms, "lookup": a.lookup_ms, "total": a.total_ms},
        "frames_to_read": a.frames_to_read,
        "decoder_backend": a.decoder_backend,
        "decode_stage": a.decode_stage,
        "http_attempts": a.http_attempts,
        "error_reason": a.error_reason,
        "first_try_outcome": a.first_try_outcome.value if a.first_try_outcome is not None else None,
        "retry_status": a.retry_status.value if a.retry_status is not None else None,
        "retry_delay_ms": a.retry_delay_ms,
        "first_seen_at": a.first_seen_at.isoformat() if a.first_seen_at else None,
    }


def attempt_line(recorded: RecordedAttempt) -> str:
    """The human line of one attempt."""
    a = recorded.attempt
    where = recorded.path.name if recorded.path is not None else a.source.value
    outcome = a.outcome.value if a.outcome is not None else "?"
    parts = [where, outcome]
    if a.result_code:
        parts.append(f"code={a.result_code}")
    if a.masked_id:
        parts.append(a.masked_id)
    parts += [f"{name}={value:.0f}ms" for name, value in
              (("read", a.read_ms), ("lookup", a.lookup_ms), ("total", a.total_ms)) if value is not None]
    if a.retry_status is not None:
        retry = f"retry={a.retry_status.value}"
        if a.retry_delay_ms is not None and a.retry_status.value != "pending":
            retry += f" after {a.retry_delay_ms / 1000:.1f}s (first try: {a.first_try_outcome})"
        parts.append(retry)
    if a.error_reason:
        parts.append(f"({a.error_reason})")
    return "  ".join(parts)


def run(args: argparse.Namespace) -> int:
    from kiosk.client import LookupClient
    from kiosk.config import config_from_args
    from kiosk.lookup_log import LogError, LookupLog
    from kiosk.pipeline import EventKind, KioskPipeline, RecordedAttempt, TrackerTiming, is_recorded
    from kiosk.privacy import PersonHasher, load_or_create_secret
    from kiosk.retrier import RetryEvent, RetryEventKind
    from scanner.sources import SourceError, open_source

    # 1. Settings and the lookup client (it holds no connection until the pipeline's first lookup).
    config = config_from_args(args)
    if args.db is not None:
        config.log_db = args.db
    if args.retry_limit is not None:
        if not args.retry_limit >= 0:
            raise CommandError(f"--retry-limit: must not be negative, got {args.retry_limit}")
        if args.retry_limit > 0:
            config.retry_limit_s = args.retry_limit
    background = args.retry_limit is None or args.retry_limit > 0
    client = LookupClient(config)  # checks the lookup settings and keys
    timing = TrackerTiming()
    if args.hold_off_s is not None:
        if not args.hold_off_s >= 0:
            raise CommandError(f"--hold-off: must not be negative, got {args.hold_off_s}")
        timing = TrackerTiming(hold_off_s=args.hold_off_s)

    # 2. The source (opened now, so that an unreadable one is a clear error before anything starts).
    try:
        source = open_source(args.source, width=config.camera_width, height=config.camera_height,
                             fps=None, realtime=False)
        source.open()
    except SourceError as exc:
        raise CommandError(f"--source: {exc}") from None

    # 3. The log and the hasher.
    pipelines: list[KioskPipeline] = []

    def on_log_error(message: str) -> None:
        for p in pipelines:
            p.report_error(message)  # the log's messages start with "lookup log"

    try:
        hasher = PersonHasher(load_or_create_secret())
        log = LookupLog(config.effective_log_db, retention_days=config.log_retention_days, on_error=on_log_error)
    except (LogError, OSError, ValueError) as exc:
        source.close()
        raise CommandError(f"lookup log: {exc}") from None
    for notice in log.notices:
        sys.stderr.write(f"bhyt-kiosk scan: {notice}\n")
    if log.problem is not None:  # a run of the command that cannot record is no use: stop before any lookup
        log.close(timeout=0)
        source.close()
        raise CommandError(log.problem)

    out_lock = threading.Lock()
    paths: dict[str, Path | None] = {}  # attempt id -> image, for the lines of late results

    def say(stream: TextIO, line: str) -> None:  # from the log writer's and the pipeline's threads
        with out_lock:
            stream.write(line + "\n")
            stream.flush()

    def on_record(recorded: RecordedAttempt) -> None:
        """A line per attempt, printed once the log has committed it (what is printed survives a SIGKILL)."""
        if recorded.attempt.retry_status is not None:
            paths[recorded.attempt.attempt_id] = recorded.path
        line = json.dumps(attempt_json(recorded), ensure_ascii=False) if args.json else attempt_line(recorded)

        def committed(ok: bool) -> None:
            if ok:
                say(sys.stdout, line)
            else:
                say(sys.stderr, f"bhyt-kiosk scan: attempt {recorded.attempt.attempt_id} could not be recorded in "
                                "the lookup log")

        if recorded.receipt is None:
            committed(False)
        else:
            recorded.receipt.add_done_callback(committed)

    def on_retry(event: RetryEvent) -> None:
        if event.kind is not RetryEventKind.PENDING:  # the final version of a pending attempt
            path = paths.pop(event.attempt.attempt_id, None)
            on_record(RecordedAttempt(attempt=event.attempt, path=path, result=event.result, receipt=event.receipt))

    def on_event(event: PipelineEvent) -> None:
        if event.kind in (EventKind.ERROR, EventKind.SOURCE_FAILED, EventKind.SOURCE_LOST) and event.error:
            say(sys.stderr, f"bhyt-kiosk scan: {event.kind.value}: {event.error}")

    # files end; so does a synthetic source read as fast as possible with a frame budget
    finite = is_recorded(source) and (not source.live or getattr(source, "max_frames", None) is not None)
    pipeline = KioskPipeline(config=config, client=client, log=log, source=source, hasher=hasher, timing=timing,
                             background_retries=background)
    pipelines.append(pipeline)
    pipeline.add_record_listener(on_record)
    pipeline.add_retry_listener(on_retry)
    pipeline.add_listener(on_event)
    status = 0
    try:
        pipeline.start()
        if finite:
            while not pipeline.wait_input_finished(0.5):
                pass
            # pending lookups end within the limit (plus one last try's deadline)
            pipeline.wait_pending(config.retry_limit_s + config.lookup_deadline_s + 2.0)
        else:
            while True:  # a camera: until Ctrl-C
                time.sleep(0.5)
    except KeyboardInterrupt:
        status = 130 if finite else 0
    finally:
        pipeline.stop(timeout=config.lookup_deadline_s + 2.0)
        log.close()
        stats = log.stats()
        if stats.dropped or stats.failed:
            sys.stderr.write(f"bhyt-kiosk scan: lookup log: {stats.dropped} dropped, {stats.failed} not written "
                             f"({stats.last_error})\n")
            status = status or 1
    return status
