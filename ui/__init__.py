"""PySide6 (Qt Widgets) windows and widgets: a thin layer over ``kiosk`` and ``scanner``."""
