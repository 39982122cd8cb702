"""Stand-ins for the camera and the card: synthetic card frames (``synth``) and the ``synthetic`` frame source
(``synthetic_camera``) — for development, tests, benchmarks and the demo; a clinic's camera is in ``sources/``."""
