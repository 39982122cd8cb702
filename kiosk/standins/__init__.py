"""What stands in for the outside world in development, tests and the built-in demo — nothing a clinic runs.

``service/`` the mocked social-security lookup service (``bhyt-kiosk service``), ``population`` its synthetic
people, ``simulate`` the lookup-log simulator (``bhyt-kiosk logs simulate``), ``demo`` the demo set-up that wires them
together. The synthetic camera and card frames are in :mod:`scanner.standins`.
"""
