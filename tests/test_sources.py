"""Frame sources: images, folders, videos, cameras (fake, recorded and real) and the synthetic camera."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from scanner.sources import (
    CameraInfo,
    CameraSource,
    Frame,
    ImageFolderSource,
    ImageSource,
    ReconnectPolicy,
    SourceError,
    SyntheticSource,
    VideoFileSource,
    camera_api_preference,
    list_cameras,
    load_payloads,
    natural_key,
    open_source,
)
from scanner.standins.synthetic_camera import Phase

FAST = ReconnectPolicy(initial_delay=0.01, max_delay=0.05, factor=2.0, max_failed_reads=3, failed_read_pause=0.002)
DOMAIN_EXAMPLE = (
    "027195001234|125678901|Nguyễn Thị Minh Châu|15081995|Nữ|Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh|20042021"
)
SHORT_EXAMPLE = "001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021"


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leaked:
            return
        time.sleep(0.01)
    pytest.fail(f"threads leaked: {leaked}")


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached")
        time.sleep(0.002)


def numbered_image(n: int, size: tuple[int, int] = (160, 120)) -> np.ndarray:
    """An image whose gray level encodes ``n`` (survives MJPG compression)."""
    w, h = size
    return np.full((h, w, 3), 20 + 10 * n, np.uint8)


def number_of(image: np.ndarray) -> int:
    return round((float(image.mean()) - 20) / 10)


def write_avi(path: Path, n_frames: int, fps: float = 25.0, size: tuple[int, int] = (160, 120)) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, size)
    assert writer.isOpened()
    for i in range(n_frames):
        writer.write(numbered_image(i, size))
    writer.release()
    return path


def write_png(path: Path, image: np.ndarray) -> Path:
    ok, buf = cv2.imencode(path.suffix, image)
    assert ok
    path.write_bytes(buf.tobytes())
    return path


# ------------------------------------------------------------------------------------------ files


def test_natural_key_orders_numbers_by_value() -> None:
    names = ["img10.png", "img2.png", "IMG1.png", "img1b.png", "a.png"]
    assert sorted(names, key=natural_key) == ["a.png", "IMG1.png", "img1b.png", "img2.png", "img10.png"]


def test_image_source_reads_one_frame_from_a_unicode_path(tmp_path: Path) -> None:
    image = numbered_image(3)
    path = write_png(tmp_path / "thẻ căn cước.png", image)
    source = ImageSource(path)
    with pytest.raises(SourceError, match="before open"):
        source.read()
    with source:
        frame = source.read()
        assert isinstance(frame, Frame)
        assert frame.path == path and frame.index == 0
        assert frame.image.dtype == np.uint8 and frame.image.shape == (120, 160, 3)
        assert np.array_equal(frame.image, image)
        assert source.read() is None
    assert source.read() is None  # closed: end of input, no exception


def test_gray_and_alpha_images_become_bgr(tmp_path: Path) -> None:
    gray = write_png(tmp_path / "g.png", np.full((30, 40), 77, np.uint8))
    bgra = write_png(tmp_path / "a.png", np.dstack([numbered_image(1, (40, 30)), np.full((30, 40), 255, np.uint8)]))
    for path in (gray, bgra):
        with ImageSource(path) as source:
            frame = source.read()
            assert frame is not None and frame.image.shape == (30, 40, 3)


@pytest.mark.parametrize("content", [b"", b"not an image at all"])
def test_unreadable_image_is_a_source_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=r"broken\.jpg"):
        ImageSource(path).open()


def test_folder_is_read_in_natural_order_and_skips_unreadable_images(tmp_path: Path) -> None:
    for n, name in [(10, "frame10.png"), (2, "frame2.png"), (1, "frame1.jpg"), (5, "Frame5.bmp")]:
        write_png(tmp_path / name, numbered_image(n))
    (tmp_path / "frame3.png").write_bytes(b"\x89PNG broken")
    (tmp_path / "notes.txt").write_text("not an image", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    write_png(tmp_path / "sub" / "frame4.png", numbered_image(4))
    skipped: list[tuple[Path, str]] = []
    source = ImageFolderSource(tmp_path, on_skip=lambda p, reason: skipped.append((p, reason)))
    with source:
        frames = list(source)
    assert [f.path.name for f in frames if f.path] == ["frame1.jpg", "frame2.png", "Frame5.bmp", "frame10.png"]
    assert [number_of(f.image) for f in frames] == [1, 2, 5, 10]
    assert [f.index for f in frames] == [0, 1, 3, 4]  # the skipped image leaves a gap
    assert [p.name for p, _ in skipped] == ["frame3.png"]
    assert "readable" in skipped[0][1]
    assert [s.path.name for s in source.skipped] == ["frame3.png"]
    with ImageFolderSource(tmp_path, recursive=True) as deep:
        names = [f.path.relative_to(tmp_path).as_posix() for f in deep if f.path]
    assert names == ["frame1.jpg", "frame2.png", "Frame5.bmp", "frame10.png", "sub/frame4.png"]


def test_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such folder"):
        ImageFolderSource(tmp_path / "missing").open()
    file = tmp_path / "x.png"
    write_png(file, numbered_image(0))
    with pytest.raises(SourceError, match="not a folder"):
        ImageFolderSource(file).open()
    empty = tmp_path / "empty"
    empty.mkdir()
    with ImageFolderSource(empty) as source:
        assert source.read() is None


def test_video_file_every_frame_in_order_with_recording_timestamps(tmp_path: Path) -> None:
    avi = write_avi(tmp_path / "clip.avi", 12, fps=25.0)
    source = VideoFileSource(avi)
    with source:
        frames = list(source)
    assert source.fps == pytest.approx(25.0)
    assert source.size == (160, 120)
    assert [f.index for f in frames] == list(range(12))
    assert [number_of(f.image) for f in frames] == list(range(12))
    gaps = np.diff([f.timestamp for f in frames])
    assert np.allclose(gaps, 1 / 25.0)
    assert all(f.path == avi for f in frames)


def test_video_file_loop_starts_over(tmp_path: Path) -> None:
    avi = write_avi(tmp_path / "clip.avi", 4)
    with VideoFileSource(avi, loop=True) as source:
        numbers = [number_of(f.image) for f in (source.read() for _ in range(10)) if f is not None]
    assert numbers == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1]


def test_realtime_video_wait_is_cut_short_by_close(tmp_path: Path) -> None:
    avi = write_avi(tmp_path / "clip.avi", 4)
    source = open_source(str(avi), fps=0.2, realtime=True)  # one frame every 5 s
    assert isinstance(source, VideoFileSource) and source.realtime
    source.open()
    assert source.read() is not None  # frame 0 is due at once
    results: list[Frame | None] = []
    worker = threading.Thread(target=lambda: results.append(source.read()))
    worker.start()
    source.close()
    worker.join(5)
    assert not worker.is_alive() and results == [None]


def test_unreadable_video_is_a_source_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 1000)
    with pytest.raises(SourceError, match=r"bad\.mp4"):
        VideoFileSource(bad).open()
    with pytest.raises(SourceError, match="no such file"):
        VideoFileSource(tmp_path / "missing.avi").open()


def test_open_source_dispatch(tmp_path: Path) -> None:
    avi = write_avi(tmp_path / "clip.avi", 2)
    png = write_png(tmp_path / "card.png", numbered_image(1))
    odd = tmp_path / "card.data"
    odd.write_bytes(png.read_bytes())
    assert isinstance(open_source("0"), CameraSource)
    cam = open_source(" 2 ", width=1280, height=720, fps=30)
    assert isinstance(cam, CameraSource) and cam.device == 2 and cam.settings.use_mjpg
    assert isinstance(open_source("/dev/video2"), CameraSource)
    assert isinstance(open_source("rtsp://127.0.0.1:8554/cam"), CameraSource)
    assert isinstance(open_source(str(avi)), VideoFileSource)
    assert isinstance(open_source(str(png)), ImageSource)
    assert isinstance(open_source(str(odd)), ImageSource)  # sniffed by content
    assert isinstance(open_source(str(tmp_path)), ImageFolderSource)
    syn = open_source("synthetic:seed=3,fps=15,size=320x240,difficulty=mixed,frames=7", realtime=False)
    assert isinstance(syn, SyntheticSource)
    assert (syn.seed, syn.fps, syn.frame_size, syn.difficulty, syn.max_frames) == (3, 15.0, (320, 240), "mixed", 7)
    assert syn.live and not syn.realtime
    assert open_source("synthetic", width=640, height=480).frame_size == (640, 480)  # type: ignore[attr-defined]
    cards = tmp_path / "cards.txt"
    cards.write_text(f"# mine\n\n{SHORT_EXAMPLE}\n", encoding="utf-8")
    syn2 = open_source(f"synthetic:cards={cards}")
    assert isinstance(syn2, SyntheticSource) and syn2.payloads == (SHORT_EXAMPLE,)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "no source"),
        ("   ", "no source"),
        ("missing/clip.mp4", "no such file or folder"),
        ("webcam:front", "unknown source"),
        ("synthetic:seed=x", "bad value"),
        ("synthetic:colour=red", "unknown synthetic source option"),
        ("synthetic:seed", "key=value"),
        ("synthetic:difficulty=extreme", "difficulty"),
        ("synthetic:fps=0", "fps"),
        ("synthetic:cards=/nonexistent/cards.txt", "cannot read"),
    ],
)
def test_open_source_rejects_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        open_source(spec)


# ------------------------------------------------------------------------------------------ cameras


class FakeCapture:
    """A capture that delivers numbered frames until ``unplugged`` is set (then every read fails), or never opens."""

    def __init__(self, opened: bool, first: int = 0, unplugged: threading.Event | None = None) -> None:
        self.opened = opened
        self.next = first
        self.unplugged = unplugged or threading.Event()
        self.released = False
        self.settings: dict[int, float] = {}

    def isOpened(self) -> bool:
        return self.opened and not self.released

    def read(self) -> tuple[bool, np.ndarray | None]:
        time.sleep(0.002)  # a camera blocks until the next frame
        if self.released or self.unplugged.is_set():
            return False, None
        self.next += 1
        return True, numbered_image(min(self.next - 1, 19), (32, 24))

    def release(self) -> None:
        self.released = True

    def set(self, prop_id: int, value: float) -> bool:
        self.settings[prop_id] = value
        return True

    def get(self, prop_id: int) -> float:
        return self.settings.get(prop_id, 0.0)


class ScriptedCamera:
    """A factory: fails to open twice, then delivers frames 0.. until the test unplugs it; three failed
    reopen attempts follow, then it works for good with frames numbered from 10."""

    def __init__(self) -> None:
        self.unplug = threading.Event()
        self.script: list[FakeCapture] = [
            FakeCapture(False),
            FakeCapture(False),
            FakeCapture(True, first=0, unplugged=self.unplug),
            FakeCapture(False),
            FakeCapture(False),
            FakeCapture(False),
        ]
        self.opens = 0
        self.lock = threading.Lock()
        self.created: list[FakeCapture] = []

    def __call__(self) -> FakeCapture:
        with self.lock:
            self.opens += 1
            cap = self.script.pop(0) if self.script else FakeCapture(True, first=10)
            self.created.append(cap)
            return cap


def test_camera_reconnects_after_the_device_disappears() -> None:
    factory = ScriptedCamera()
    changes: list[bool] = []
    source = CameraSource(
        0, capture_factory=factory, reconnect=FAST, require_device=False, on_connection=changes.append
    )
    assert source.live and not source.connected
    source.open()
    try:
        first = source.read(timeout=10)
        assert first is not None and number_of(first.image) < 10
        assert source.connected and changes == [True]
        factory.unplug.set()
        wait_until(lambda: changes[:2] == [True, False])
        assert source.reconnects == 0 or changes[:3] == [True, False, True]
        wait_until(lambda: changes[:3] == [True, False, True])  # back, after three failed reopen attempts
        frame = source.read(timeout=10)
        while frame is not None and number_of(frame.image) < 10:  # frames grabbed before the loss
            frame = source.read(timeout=10)
        assert frame is not None and number_of(frame.image) >= 10
        assert frame.index > first.index
        assert source.reconnects == 1
        assert factory.opens == 7
    finally:
        source.close()
    assert changes == [True, False, True, False]  # closing disconnects
    assert not source.connected
    assert all(cap.released for cap in factory.created)
    assert source.read(timeout=0.01) is None  # closed: no exception


def test_camera_read_times_out_while_disconnected() -> None:
    # never opens: require_device=False keeps retrying in the background, read() just reports no frame
    opens = []

    def factory() -> FakeCapture:
        opens.append(1)
        return FakeCapture(False)

    with CameraSource(1, capture_factory=factory, reconnect=FAST, require_device=False) as source:
        assert source.read(timeout=0.05) is None
        wait_until(lambda: len(opens) >= 3)
        assert not source.connected


def test_camera_that_cannot_be_opened_is_a_source_error() -> None:
    source = CameraSource(7, capture_factory=lambda: FakeCapture(False), reconnect=FAST)
    with pytest.raises(SourceError, match="camera 7"):
        source.open()
    source.close()


def test_camera_factory_exceptions_are_failed_attempts() -> None:
    calls = []

    def factory() -> FakeCapture:
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("driver exploded")
        return FakeCapture(True)

    with CameraSource(0, capture_factory=factory, reconnect=FAST, require_device=False) as source:
        assert source.read(timeout=10) is not None


def test_camera_keeps_only_the_newest_frame_and_closes_from_another_thread() -> None:
    source = CameraSource(0, capture_factory=lambda: FakeCapture(True), reconnect=FAST)
    source.open()
    got: list[Frame] = []

    def consumer() -> None:
        for frame in source:  # a live source iterates until closed
            got.append(frame)
            time.sleep(0.03)  # a slow decoder

    worker = threading.Thread(target=consumer)
    worker.start()
    wait_until(lambda: len(got) >= 4)
    source.close()
    worker.join(5)
    assert not worker.is_alive()
    indices = [f.index for f in got]
    assert indices == sorted(set(indices))
    assert max(np.diff(indices)) > 1  # frames grabbed while the consumer was busy were dropped


def test_recorded_camera_from_an_mjpg_avi(tmp_path: Path) -> None:
    """A real VideoCapture on an MJPG .avi: it 'disconnects' at the end of the file and is reopened."""
    avi = write_avi(tmp_path / "camera.avi", 6)
    source = CameraSource(
        str(avi), capture_factory=lambda: cv2.VideoCapture(str(avi)), reconnect=FAST, width=640, height=480
    )
    seen: list[int] = []
    with source:
        wait_until(lambda: source.reconnects >= 1)
        for _ in range(50):
            frame = source.read(timeout=5)
            assert frame is not None
            seen.append(number_of(frame.image))
            if source.reconnects >= 2:
                break
    assert set(seen) <= set(range(6))
    assert source.frame_size == (160, 120)


def test_camera_api_preference_per_platform() -> None:
    assert camera_api_preference("linux")[0] == cv2.CAP_V4L2
    assert camera_api_preference("win32")[:2] == [cv2.CAP_DSHOW, cv2.CAP_MSMF]
    assert camera_api_preference("darwin")[0] == cv2.CAP_AVFOUNDATION
    assert camera_api_preference("freebsd") == [cv2.CAP_ANY]


def test_list_cameras_does_not_crash() -> None:
    cameras = list_cameras(max_index=3)
    assert isinstance(cameras, list)
    assert all(isinstance(c, CameraInfo) and c.index < 3 for c in cameras)


def test_list_cameras_without_probe_opens_nothing_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings screen lists cameras on the GUI thread: off Linux that must not open devices one by one."""
    from scanner.sources import camera as camera_module

    def no_probe(index: int) -> bool:
        raise AssertionError(f"camera {index} was opened")

    monkeypatch.setattr(camera_module.sys, "platform", "win32")
    monkeypatch.setattr(camera_module, "_probe", no_probe)
    cameras = list_cameras(max_index=3, probe=False)
    assert [(c.device, c.available) for c in cameras] == [("0", False), ("1", False), ("2", False)]


@pytest.mark.camera
def test_real_webcam() -> None:
    probe = cv2.VideoCapture(0)
    available = probe.isOpened()
    probe.release()
    if not available:
        pytest.skip("no webcam (VideoCapture(0) does not open)")
    with open_source("0", width=640, height=480) as source:
        frame = source.read(timeout=10)
        assert frame is not None and frame.image.ndim == 3 and frame.image.dtype == np.uint8
        assert source.connected


# ------------------------------------------------------------------------------------------ synthetic


def test_default_payloads_are_the_domain_examples() -> None:
    payloads = load_payloads()
    assert DOMAIN_EXAMPLE in payloads
    assert SHORT_EXAMPLE in payloads


def test_synthetic_is_deterministic_and_cycles_payloads() -> None:
    payloads = [SHORT_EXAMPLE, DOMAIN_EXAMPLE]
    a = SyntheticSource(payloads, seed=5, width=320, height=240, realtime=False, max_frames=40)
    b = SyntheticSource(payloads, seed=5, width=320, height=240, realtime=False, max_frames=40)
    c = SyntheticSource(payloads, seed=6, width=320, height=240, realtime=False, max_frames=40)
    with a, b, c:
        frames_a, frames_b, frames_c = list(a), list(b), list(c)
    assert len(frames_a) == 40 and [f.index for f in frames_a] == list(range(40))
    assert all(np.array_equal(x.image, y.image) for x, y in zip(frames_a, frames_b, strict=True))
    assert any(not np.array_equal(x.image, y.image) for x, y in zip(frames_a, frames_c, strict=True))
    assert frames_a[0].image.shape == (240, 320, 3)
    assert np.allclose(np.diff([f.timestamp for f in frames_a]), 1 / 30)
    assert [a.presentation(k).payload for k in range(4)] == payloads * 2
    p0, p1 = a.presentation(0), a.presentation(1)
    assert p1.first_frame == p0.first_frame + p0.length
    assert 30 <= p0.hold <= 60  # held 1-2 s at 30 fps
    gap_frame = p0.first_frame + p0.length - 1
    assert p0.gap > 0 and a.payload_at(gap_frame) is None and a.conditions_at(gap_frame) is None
    assert a.payload_at(p0.hold_frames[0]) == payloads[0]
    assert a.presentation_at(p1.first_frame) == p1
    assert p1.phase_of(p1.first_frame) == (Phase.ENTER, 0)


def test_synthetic_card_carries_the_exact_payload() -> None:
    source = SyntheticSource([DOMAIN_EXAMPLE], seed=2, realtime=False)
    p = source.presentation(0)
    settled = p.hold_frames[round(0.5 * source.fps)]  # autofocus settled
    if p.refocus_at >= 0 and abs(settled - p.hold_frames[p.refocus_at]) < 10:
        settled = p.hold_frames[-1]
    results = zxingcpp.read_barcodes(source.render(settled), text_mode=zxingcpp.TextMode.Plain)
    assert [r.text for r in results] == [DOMAIN_EXAMPLE]
    empty = source.render(p.first_frame + p.length - 1)
    assert zxingcpp.read_barcodes(empty) == []


def test_synthetic_paper_qr_lines() -> None:
    source = SyntheticSource(["paper:https://benhvien.example.vn/x"], seed=1, realtime=False)
    p = source.presentation(0)
    frame = source.render(p.hold_frames[-1])
    assert [r.text for r in zxingcpp.read_barcodes(frame)] == ["https://benhvien.example.vn/x"]


def test_synthetic_realtime_drops_frames_for_a_slow_consumer_and_stops_on_close() -> None:
    source = SyntheticSource(seed=1, width=320, height=240, fps=50.0, realtime=True)
    with source:
        first = source.read(timeout=5)
        time.sleep(0.2)  # a slow consumer: ~10 frames become due meanwhile
        second = source.read(timeout=5)
    assert first is not None and second is not None
    assert second.index - first.index > 1
    slow = SyntheticSource(seed=1, width=320, height=240, fps=0.2, realtime=True)
    slow.open()
    assert slow.read(timeout=1) is not None  # frame 0 is due at once
    assert slow.read(timeout=0.01) is None  # the next one is 5 s away
    results: list[Frame | None] = []
    worker = threading.Thread(target=lambda: results.append(slow.read()))
    worker.start()
    slow.close()  # unblocks the waiting read
    worker.join(5)
    assert not worker.is_alive() and results == [None]


def test_synthetic_rejects_bad_settings() -> None:
    with pytest.raises(SourceError):
        SyntheticSource([])
    with pytest.raises(SourceError):
        SyntheticSource(["x"], width=10, height=10)
    with pytest.raises(SourceError):
        SyntheticSource(["x"], hold_seconds=(2.0, 1.0))


def test_camera_asks_for_1080p_mjpg_autofocus_and_auto_exposure_by_default() -> None:
    import cv2

    from scanner.sources.camera import CaptureSettings, apply_settings

    class V4L2Capture(FakeCapture):
        def getBackendName(self) -> str:
            return "V4L2"

    cap = V4L2Capture(True)
    apply_settings(cap, CaptureSettings())
    assert cap.settings[cv2.CAP_PROP_FOURCC] == float(cv2.VideoWriter.fourcc(*"MJPG"))
    assert (cap.settings[cv2.CAP_PROP_FRAME_WIDTH], cap.settings[cv2.CAP_PROP_FRAME_HEIGHT]) == (1920.0, 1080.0)
    assert cap.settings[cv2.CAP_PROP_AUTOFOCUS] == 1.0
    assert cap.settings[cv2.CAP_PROP_AUTO_EXPOSURE] == 3.0  # V4L2's "aperture priority" (automatic)
    plain = FakeCapture(True)  # another backend (DirectShow, Media Foundation): its own "automatic" value
    apply_settings(plain, CaptureSettings(width=640, height=480, autofocus=False))
    assert cv2.CAP_PROP_FOURCC not in plain.settings and cv2.CAP_PROP_AUTOFOCUS not in plain.settings
    assert plain.settings[cv2.CAP_PROP_AUTO_EXPOSURE] == 0.75
    assert CameraSource(0).settings.width == 1920 and CameraSource(0, width=1280, height=720).settings.height == 720


def test_kiosk_default_camera_size_is_1080p() -> None:
    from kiosk.config import KioskConfig

    assert (KioskConfig().camera_width, KioskConfig().camera_height) == (1920, 1080)
