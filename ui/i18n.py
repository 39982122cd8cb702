"""Qt translations: Vietnamese is the source language, English comes from ``assets/i18n/bhyt_kiosk_en.ts``.

The ``.ts`` file is compiled to ``.qm`` with Qt's ``lrelease`` (shipped with PySide6) the first time it is
needed — into the user cache folder, unless an up-to-date ``.qm`` is shipped beside the ``.ts``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from platformdirs import user_cache_dir
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from kiosk.paths import APP_NAME
from ui.assets import translations_dir

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "vi"
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
CATALOGUE = "bhyt_kiosk"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Marks a string for translation where it is defined; translated with ``QCoreApplication.translate(context,
    text)`` where it is shown (so a text kept for later follows a language switch)."""
    return text


class TranslationError(Exception):
    """A translation catalogue could not be found or compiled."""


QT_CATALOGUE = "qtbase"  # Qt's own texts (buttons, menus, file dialog); ours where Qt ships none (vi)


def ts_file(language: str, catalogue: str = CATALOGUE) -> Path:
    return translations_dir() / f"{catalogue}_{language}.ts"


def cache_dir() -> Path:
    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "i18n"


def lrelease_command() -> list[str]:
    """How to run Qt's lrelease: the binary inside PySide6, else pyside6-lrelease beside this Python."""
    import PySide6

    exe = ".exe" if sys.platform == "win32" else ""
    bundled = Path(PySide6.__file__).parent / f"lrelease{exe}"
    if bundled.is_file():
        return [str(bundled)]
    script = Path(sys.executable).parent / f"pyside6-lrelease{exe}"
    if script.is_file():
        return [str(script)]
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found:
        return [found]
    raise TranslationError("Qt's lrelease was not found (install PySide6)")


def compile_ts(ts: Path, qm: Path) -> Path:
    """Compile ``ts`` to ``qm`` (written whole or not at all: another process may be reading the cache)."""
    qm.parent.mkdir(parents=True, exist_ok=True)
    partial = qm.with_name(f"{qm.name}.{os.getpid()}.part")
    try:
        done = subprocess.run(
            [*lrelease_command(), "-silent", str(ts), "-qm", str(partial)],
            capture_output=True, text=True, timeout=60, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TranslationError(f"cannot run lrelease: {exc}") from exc
    if done.returncode != 0 or not partial.is_file():
        partial.unlink(missing_ok=True)
        raise TranslationError(f"lrelease failed on {ts.name}: {done.stderr.strip() or done.stdout.strip()}")
    os.replace(partial, qm)
    return qm


def qm_file(language: str, catalogue: str = CATALOGUE) -> Path | None:
    """The compiled catalogue for ``language`` (compiling it if needed); None for the app's source language."""
    if language == SOURCE_LANGUAGE and catalogue == CATALOGUE:
        return None
    if language not in LANGUAGES:
        raise TranslationError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    ts = ts_file(language, catalogue)
    if not ts.is_file():
        raise TranslationError(f"translation file missing: {ts}")
    shipped = ts.with_suffix(".qm")
    if shipped.is_file() and shipped.stat().st_mtime >= ts.stat().st_mtime:
        return shipped
    # The cache is per user, not per installation: the file is named after the catalogue's content, so that two
    # installations (or versions) never load each other's compiled texts.
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    cached = cache_dir() / f"{ts.stem}-{digest}.qm"
    if cached.is_file():
        return cached
    return compile_ts(ts, cached)


class Translations:
    """Installs the app's (and Qt's own) translator for one language at a time."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.language = SOURCE_LANGUAGE

    def uninstall(self) -> None:
        """Remove this object's translators (back to the source texts)."""
        app = QCoreApplication.instance()
        if app is not None:
            for translator in self._installed:
                app.removeTranslator(translator)
        self._installed.clear()

    def install(self, language: str) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise TranslationError("no QApplication")
        self.uninstall()
        self.language = language
        qm = qm_file(language)
        if qm is not None:
            translator = QTranslator(app)
            if not translator.load(str(qm)):
                raise TranslationError(f"cannot load {qm}")
            app.installTranslator(translator)
            self._installed.append(translator)
        qt_own = QTranslator(app)
        if qt_own.load(f"{QT_CATALOGUE}_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_own)
            self._installed.append(qt_own)
        elif ts_file(language, QT_CATALOGUE).is_file():  # Qt has no Vietnamese: our catalogue of its texts
            ours = qm_file(language, QT_CATALOGUE)
            if ours is not None and qt_own.load(str(ours)):
                app.installTranslator(qt_own)
                self._installed.append(qt_own)
        if not self._installed:  # vi: removing the translators already sent LanguageChange where needed
            log.debug("source language %s: no translator installed", language)
