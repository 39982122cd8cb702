"""Staff settings: camera and resolution, timeouts, language, service URL, accessibility, staff PIN.

The dialog edits a copy of the :class:`KioskConfig`; :meth:`SettingsDialog.result_config` gives the new
settings after Save (validated). The main window applies them and writes the TOML file.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import ConfigError, KioskConfig
from kiosk.staff_pin import PinFormatError, hash_pin
from ui.i18n import LANGUAGES

RESOLUTIONS: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))
# Settings a demo run cannot change: it runs its own mock service (the address) and documents its PIN.
DEMO_FIXED = ("service_url", "staff_pin_hash")


class SettingsDialog(QDialog):
    def __init__(
        self,
        config: KioskConfig,
        cameras: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        """``cameras``: (spec, label) pairs, e.g. ("0", "Camera 0 — HD Webcam"), ("synthetic", ...)."""
        super().__init__(parent)
        self.setModal(True)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Cài đặt"))
        self._original = config
        self._result: KioskConfig | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.camera = QComboBox()
        self.camera.addItem(self.tr("Tự động (camera đầu tiên, hoặc camera mô phỏng)"), "auto")
        for spec, label in cameras:
            self.camera.addItem(label, spec)
        if self.camera.findData(config.camera) < 0:
            self.camera.addItem(config.camera, config.camera)
        self.camera.setCurrentIndex(self.camera.findData(config.camera))
        self._row(form, self.tr("&Camera"), self.camera)

        self.resolution = QComboBox()
        sizes = list(RESOLUTIONS)
        if (config.camera_width, config.camera_height) not in sizes:
            sizes.append((config.camera_width, config.camera_height))
        for w, h in sizes:
            self.resolution.addItem(f"{w} × {h}", (w, h))
        self.resolution.setCurrentIndex(sizes.index((config.camera_width, config.camera_height)))
        self._row(form, self.tr("Độ &phân giải"), self.resolution)

        self.result_timeout = self._seconds_box(3, 300, 0, config.result_timeout_s)
        self._row(form, self.tr("Thời gian hiện &kết quả"), self.result_timeout)

        self.read_timeout = self._seconds_box(1, 60, 1, config.read_timeout_s)
        self._row(form, self.tr("Thời gian chờ &tra cứu"), self.read_timeout)

        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(config.language)))
        self._row(form, self.tr("&Ngôn ngữ"), self.language)

        self.service_url = QLineEdit(config.service_url)
        self._row(form, self.tr("Địa chỉ &dịch vụ tra cứu"), self.service_url)

        self.sounds = QCheckBox(self.tr("Phát âm thanh khi đọc thẻ và khi có kết quả"))
        self.sounds.setChecked(config.sounds)
        form.addRow(self.sounds)
        self.high_contrast = QCheckBox(self.tr("Độ tương phản cao"))
        self.high_contrast.setChecked(config.high_contrast)
        form.addRow(self.high_contrast)
        self.font_scale = QDoubleSpinBox()
        self.font_scale.setRange(0.75, 2.5)
        self.font_scale.setSingleStep(0.25)
        self.font_scale.setValue(config.font_scale)
        self._row(form, self.tr("Cỡ &chữ"), self.font_scale)

        self.scanner = QLineEdit(config.scanner)
        self.scanner.setPlaceholderText(self.tr("để trống: không có; ví dụ serial:COM3 hoặc serial:/dev/ttyACM0,9600"))
        self._row(form, self.tr("&Máy quét cổng COM"), self.scanner)

        self.new_pin = QLineEdit()
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin.setMaxLength(8)
        self.new_pin.setPlaceholderText(self.tr("để trống: giữ mã PIN cũ"))
        self._row(form, self.tr("Mã PIN nhân viên &mới"), self.new_pin)

        self.error = QLabel(objectName="error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Hủy"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _seconds_box(low: float, high: float, decimals: int, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setDecimals(decimals)
        box.setSuffix(" s")
        box.setValue(value)
        return box

    @staticmethod
    def _row(form: QFormLayout, text: str, widget: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", ""))
        form.addRow(label, widget)

    def build_config(self) -> KioskConfig:
        """The edited settings; raises ConfigError / PinFormatError with a message for the user."""
        config = copy.deepcopy(self._original)
        config.camera = str(self.camera.currentData())
        config.camera_width, config.camera_height = self.resolution.currentData()
        config.result_timeout_s = float(self.result_timeout.value())
        config.read_timeout_s = float(self.read_timeout.value())
        config.connect_timeout_s = min(config.connect_timeout_s, config.read_timeout_s)
        config.language = str(self.language.currentData())
        config.service_url = self.service_url.text().strip()
        config.sounds = self.sounds.isChecked()
        config.high_contrast = self.high_contrast.isChecked()
        config.font_scale = float(self.font_scale.value())
        config.scanner = self.scanner.text().strip()
        if self.new_pin.text():
            config.staff_pin_hash = hash_pin(self.new_pin.text())
        config.validate()
        if config.service_url and not config.service_url.startswith(("http://", "https://")):
            raise ConfigError("service_url: must start with http:// or https://")
        return config

    def save(self) -> None:
        try:
            self._result = self.build_config()
        except PinFormatError:
            self.error.setText(self.tr("Mã PIN gồm 4 đến 8 chữ số."))
            return
        except ConfigError as exc:
            self.error.setText(self.tr("Cài đặt không hợp lệ: {problem}").format(problem=str(exc)))
            return
        self.accept()

    def result_config(self) -> KioskConfig | None:
        return self._result

    def labels(self) -> dict[str, str]:
        """The settings' names as the dialog shows them (for the "what changed" summary)."""
        return {
            "camera": self.tr("Camera"), "camera_width": self.tr("Độ phân giải"),
            "result_timeout_s": self.tr("Thời gian hiện kết quả"), "read_timeout_s": self.tr("Thời gian chờ tra cứu"),
            "language": self.tr("Ngôn ngữ"), "service_url": self.tr("Địa chỉ dịch vụ tra cứu"),
            "sounds": self.tr("Âm thanh"), "high_contrast": self.tr("Độ tương phản cao"),
            "font_scale": self.tr("Cỡ chữ"), "staff_pin_hash": self.tr("Mã PIN nhân viên"),
            "scanner": self.tr("Máy quét cổng COM"),
        }


def changed_settings(old: KioskConfig, new: KioskConfig, names: Sequence[str]) -> list[str]:
    """The settings among ``names`` whose value differs (camera size counts once, as camera_width)."""
    changed = [n for n in names if getattr(old, n) != getattr(new, n)]
    if "camera_height" in changed:
        changed.remove("camera_height")
        if "camera_width" not in changed:
            changed.append("camera_width")
    return [n for n in changed if n != "connect_timeout_s"]


def describe_value(config: KioskConfig, name: str) -> str:
    if name == "staff_pin_hash":
        return "••••"
    if name == "camera_width":
        return f"{config.camera_width} × {config.camera_height}"
    value = getattr(config, name)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value) if value != "" else "—"
