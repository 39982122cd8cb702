from __future__ import annotations

import os

# Qt widgets render offscreen under pytest (no display needed); set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
