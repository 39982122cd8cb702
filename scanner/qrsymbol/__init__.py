"""Soft-decision QR symbol decoding from a sampled module grid (pure numpy, no OpenCV).

``fixed_pattern(version)`` gives the modules whose values the standard fixes (for fitting a sampling grid);
``decode_modules(dark)`` decodes an n×n array of module darkness values in [0, 1] into the payload bytes.
"""

from scanner.qrsymbol.decode import SymbolRead, decode_modules
from scanner.qrsymbol.symbol import fixed_pattern, function_modules

__all__ = ["SymbolRead", "decode_modules", "fixed_pattern", "function_modules"]
