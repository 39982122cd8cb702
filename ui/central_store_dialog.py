"""The log window's "Open central store" box: the store's address without its password, and the password as dots.

The address field never shows a password (a screenshot or a screen share of the box shows none); the password field
is empty and shown as dots. Left empty, it keeps the password of the store open before — but only for the same user,
host and port, so a stored password is never sent to another server. A password typed into the address itself is
taken as typed.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.log_texts import translate


def _login(url: str) -> tuple[str | None, str | None, str]:
    """The user, the password (as written, percent-encoded) and ``host:port`` of a URL's authority, exactly as typed."""
    login, at, server = urlsplit(url).netloc.rpartition("@")
    user, colon, password = login.partition(":")
    return (user if at else None), (password if colon else None), server


def _account(url: str) -> tuple[str | None, str]:
    """Who logs in where: the user (of the login part or the ``user=`` parameter) and ``host:port``."""
    user, _, server = _login(url)
    return user or dict(parse_qsl(urlsplit(url).query)).get("user"), server


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password (in the login part or a ``password=`` parameter), and that password as it was
    written in the URL (percent-encoded), or None."""
    parts = urlsplit(url)
    user, password, server = _login(url)
    if password is not None:
        parts = parts._replace(netloc=f"{user}@{server}")
    query = parse_qsl(parts.query, keep_blank_values=True)
    rest = [(k, v) for k, v in query if k != "password"]
    if len(rest) != len(query):
        password = password or quote(next(v for k, v in query if k == "password"), safe="")
        parts = parts._replace(query=urlencode(rest, safe=":/,"))
    return urlunsplit(parts), password


def with_password(url: str, typed: str, stored_url: str | None) -> str:
    """The URL to open: ``typed`` (a new password) if given, else the password of ``stored_url`` when the user, host
    and port are the same, else none. A password written into ``url`` itself wins."""
    if split_password(url)[1] is not None:
        return url
    user, _, server = _login(url)
    password = quote(typed, safe="") if typed else None
    if password is None and stored_url:
        bare_stored, stored = split_password(stored_url)
        if _account(bare_stored) == _account(url):
            password = stored
    parts = urlsplit(url)
    if password is None:
        return url
    if user is None:  # the user is a parameter too (postgresql://host/db?user=...): so is the password
        query = [*parse_qsl(parts.query, keep_blank_values=True), ("password", unquote(password))]
        return urlunsplit(parts._replace(query=urlencode(query, safe=":/,")))
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{server}"))


class CentralStoreDialog(QDialog):
    """Asks for a central store's address; :meth:`url` is what to open (with the password, never shown)."""

    def __init__(self, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("centralStoreDialog")
        self.setWindowTitle(translate("LogWindow", "Mở kho trung tâm"))
        self._current = current
        bare, password = split_password(current) if current else ("postgresql://", None)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.address = QLineEdit(bare, self)
        self.address.setMinimumWidth(460)
        self.address.setPlaceholderText("postgresql://người-dùng@máy:5432/tên-csdl")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if password is not None:
            self.password.setPlaceholderText(translate("LogWindow", "để trống: giữ mật khẩu đã lưu"))
        for text, field in (
            (translate("LogWindow", "Địa chỉ kho nhật ký của tỉnh:"), self.address),
            (translate("LogWindow", "&Mật khẩu:"), self.password),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            field.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(label, field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Open).setText(translate("LogWindow", "&Mở"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("LogWindow", "&Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def url(self) -> str:
        """The address as typed, with the password (typed, or kept from the store open before); "" if none typed."""
        address = self.address.text().strip()
        if not address or address == "postgresql://":
            return ""
        return with_password(address, self.password.text(), self._current)
