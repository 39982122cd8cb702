"""``bhyt-kiosk decode`` on images, folders and videos made with the synthetic card renderer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from kiosk.cli import main
from scanner.sources import SyntheticSource
from scanner.standins.synth import FrameConditions, other_qr_frame, render_card, synth_frame

CARD = "027195001234|125678901|Nguyễn Thị Minh Châu|15081995|Nữ|Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh|20042021"
YEAR_ONLY = "001098012345||NGUYỄN VĂN A|1998|Nam|Hà Nội|25052021"
MONTH_YEAR = "001098012345||NGUYỄN VĂN A|081998|Nam|Hà Nội|25052021"
SEX_MISMATCH = "001198012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021"  # digit 4 = 1: a woman born 19xx
FOREIGN = "https://benhvien.example.vn/dat-lich?ma=QX7F2"
BHYT = (
    "DN401AA31900313|4cc3aa205669e1bb87742048c6b06e67|04/09/1985|1|437479207068e1baa76e206de1bb816d20564e50542d20"
    "434e2074e1bb956e6720437479204456205654|01 - 043|01/07/2017|31/12/2017|21/07/2017|01059710639215|-|4|"
    "01/07/2022|1f2fa22c47f0bd18-7102|$"
)
EXPECTED_KEYS = {"path", "texts", "kind", "card", "error", "ms"}
CARD_KEYS = {"id_number", "old_id_number", "full_name", "date_of_birth", "sex", "address", "issue_date"}
SHARP = FrameConditions(frame_size=(960, 540), card_width_frac=0.7, rotation_deg=4.0, tilt=(5.0, -6.0))


def write_image(path: Path, image: np.ndarray) -> Path:
    ok, buf = cv2.imencode(path.suffix, image)
    assert ok
    path.write_bytes(buf.tobytes())
    return path


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("decode")
    return {
        "card": write_image(root / "thẻ.png", synth_frame(CARD, SHARP)),
        "year": write_image(root / "year.jpg", render_card(YEAR_ONLY, width_px=900)),
        "month": write_image(root / "month.png", render_card(MONTH_YEAR, width_px=900)),
        "invalid": write_image(root / "invalid.png", synth_frame(SEX_MISMATCH, SHARP)),
        "foreign": write_image(root / "foreign.png", other_qr_frame(FOREIGN, SHARP)),
        "bhyt": write_image(root / "bhyt.png", render_card(BHYT, width_px=1400)),
        "empty": write_image(root / "empty.png", synth_frame(None, SHARP)),
    }


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """An MJPG .avi of one synthetic presentation of CARD (the card comes in, is held, leaves)."""
    source = SyntheticSource([CARD], seed=4, width=640, height=360, realtime=False)
    p = source.presentation(0)
    n = p.enter + p.hold + p.leave
    path = tmp_path_factory.mktemp("video") / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), source.fps, (640, 360))
    assert writer.isOpened()
    for i in range(n):
        writer.write(source.render(i))
    writer.release()
    return path, n


def decode_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    status = main(["decode", "--json", *args])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return status, lines, captured.err


def test_cccd_card_is_decoded_exactly(capsys: pytest.CaptureFixture[str], images: dict[str, Path]) -> None:
    status, lines, _ = decode_json(capsys, str(images["card"]))
    assert status == 0 and len(lines) == 1
    line = lines[0]
    assert set(line) >= EXPECTED_KEYS
    assert line["path"] == str(images["card"])
    assert line["texts"] == [CARD]
    assert line["kind"] == "cccd" and line["error"] is None
    assert isinstance(line["ms"], int | float) and line["ms"] >= 0
    card = line["card"]
    assert set(card) >= CARD_KEYS
    assert card == card | {
        "id_number": "027195001234",
        "old_id_number": "125678901",
        "full_name": "Nguyễn Thị Minh Châu",
        "date_of_birth": "1995-08-15",
        "sex": "Nữ",
        "address": "Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh",
        "issue_date": "2021-04-20",
    }


def test_partial_birth_dates(capsys: pytest.CaptureFixture[str], images: dict[str, Path]) -> None:
    status, lines, _ = decode_json(capsys, str(images["year"]), str(images["month"]))
    assert status == 0
    assert [line["texts"] for line in lines] == [[YEAR_ONLY], [MONTH_YEAR]]
    assert [line["card"]["date_of_birth"] for line in lines] == ["1998", "1998-08"]
    assert lines[0]["card"]["old_id_number"] is None
    assert lines[0]["card"]["full_name"] == "NGUYỄN VĂN A"


def test_invalid_card_foreign_code_bhyt_and_nothing(
    capsys: pytest.CaptureFixture[str], images: dict[str, Path]
) -> None:
    paths = [images[k] for k in ("invalid", "foreign", "bhyt", "empty")]
    status, lines, _ = decode_json(capsys, *map(str, paths))
    assert status == 0
    invalid, foreign, bhyt, empty = lines
    assert [line["path"] for line in lines] == list(map(str, paths))
    assert invalid["kind"] == "cccd" and invalid["texts"] == [SEX_MISMATCH]
    assert invalid["card"] is None and invalid["error"] == "sex-mismatch"
    assert "012345" not in (invalid["error_detail"] or "")  # the detail masks the number
    assert foreign == foreign | {"kind": "other", "texts": [FOREIGN], "card": None, "error": None}
    assert bhyt["kind"] == "bhyt" and bhyt["card"] is None and bhyt["error"] is None
    assert bhyt["insurance_card"]["full_name"] == "Lê Việt Hưng"
    assert empty == empty | {"texts": [], "kind": None, "card": None, "error": None}


def test_folder_lines_per_image_and_unreadable_images_are_skipped(
    capsys: pytest.CaptureFixture[str], images: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "img10.png").write_bytes(images["foreign"].read_bytes())
    (folder / "img2.png").write_bytes(images["card"].read_bytes())
    (folder / "img3.jpg").write_bytes(b"broken")
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    status, lines, err = decode_json(capsys, str(folder))
    assert status == 0
    assert [Path(line["path"]).name for line in lines] == ["img2.png", "img10.png"]
    assert [line["kind"] for line in lines] == ["cccd", "other"]
    assert "img3.jpg" in err and "warning" in err


def test_video_is_read_as_a_stream(capsys: pytest.CaptureFixture[str], video: tuple[Path, int]) -> None:
    path, n_frames = video
    status, lines, _ = decode_json(capsys, str(path))
    assert status == 0
    assert [line["frame"] for line in lines] == list(range(n_frames))
    assert all(set(line) >= EXPECTED_KEYS and line["path"] == str(path) for line in lines)
    accepted = [line for line in lines if line["accepted"] is not None]
    assert accepted, "the stream never accepted the card"
    assert {line["accepted"] for line in accepted} == {CARD}
    first = lines.index(accepted[0])
    assert lines[first]["kind"] == "cccd"
    assert lines[first]["card"]["full_name"] == "Nguyễn Thị Minh Châu"
    assert all(line["texts"] in ([], [CARD]) for line in lines)
    assert any(line["texts"] == [CARD] for line in lines)
    assert lines[0]["texts"] == [] and lines[0]["kind"] is None  # the card is still coming in


def test_backend_choice(capsys: pytest.CaptureFixture[str], images: dict[str, Path]) -> None:
    status, lines, _ = decode_json(capsys, "--backend", "zbar", str(images["card"]))
    assert status == 0 and lines[0]["texts"] == [CARD] and lines[0]["backend"] == "zbar"
    status, lines, _ = decode_json(capsys, "--backend", "opencv,zxing", "--backend", "zxing", str(images["year"]))
    assert status == 0 and lines[0]["texts"] == [YEAR_ONLY] and lines[0]["backend"] in ("opencv", "zxing")


def test_text_summary_masks_the_id_number(
    capsys: pytest.CaptureFixture[str], images: dict[str, Path], video: tuple[Path, int]
) -> None:
    path, n_frames = video
    assert main(["decode", str(images["card"]), str(images["empty"]), str(images["invalid"]), str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 5
    assert "••••••••1234" in lines[0] and "027195001234" not in out
    assert "Nguyễn Thị Minh Châu" not in out
    assert "no QR code" in lines[1]
    assert "sex-mismatch" in lines[2]
    assert lines[3].startswith(f"{path} frame ") and "••••••••1234" in lines[3]  # where the card was accepted
    assert lines[4].startswith(f"{path}: {n_frames} frames") and "1 payload(s) accepted" in lines[4]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["does/not/exist.png"], "does/not/exist.png: no such file"),
        (["--backend", "quirc", "{card}"], "unknown backend 'quirc'"),
        (["--backend", ",", "{card}"], "needs a backend name"),
    ],
)
def test_unusable_arguments(
    capsys: pytest.CaptureFixture[str], images: dict[str, Path], args: list[str], message: str
) -> None:
    args = [a.format(card=images["card"]) for a in args]
    status = main(["decode", "--json", *args])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert "bhyt-kiosk decode: error:" in captured.err and message in captured.err


def test_unreadable_file_fails_after_decoding_the_others(
    capsys: pytest.CaptureFixture[str], images: dict[str, Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    bad_video = tmp_path / "bad.mp4"
    bad_video.write_bytes(b"\x00" * 64)
    status, lines, err = decode_json(capsys, str(broken), str(images["card"]), str(bad_video))
    assert status == 2
    assert [line["path"] for line in lines] == [str(images["card"])]
    assert "2 paths could not be read" in err and "broken.png" in err and "bad.mp4" in err


def test_installed_console_script(images: dict[str, Path]) -> None:
    script = Path(sys.executable).parent / ("bhyt-kiosk.exe" if os.name == "nt" else "bhyt-kiosk")
    if script.exists():
        command = [str(script)]
    else:  # the console script is not installed (yet): the same entry point through the interpreter
        command = [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [*command, "decode", "--json", str(images["card"]), str(images["empty"])],
        capture_output=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert lines[0]["texts"] == [CARD] and lines[0]["card"]["full_name"] == "Nguyễn Thị Minh Châu"
    assert "Nguyễn Thị Minh Châu" in done.stdout.decode("utf-8")  # ensure_ascii=False: no \u escapes
    assert lines[1]["kind"] is None
    missing = subprocess.run(
        [*command, "decode", str(images["card"].parent / "missing.jpg")],
        capture_output=True, env=env, timeout=120, check=False,
    )
    assert missing.returncode == 2
    assert b"missing.jpg: no such file" in missing.stderr


def test_backend_names_match_the_scanner() -> None:
    from kiosk.commands.decode import KNOWN_BACKENDS
    from scanner.decoders import BACKENDS

    assert KNOWN_BACKENDS == BACKENDS
