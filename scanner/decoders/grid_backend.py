"""The module-grid reader (:mod:`scanner.grid_reader`) as a decoder backend: for codes at 1-2.5 px per module.

On an image the size of a QR region (a crop, a photo of one code) the grid is fitted to the whole image; on a
camera frame the reader first looks for QR-like regions (:func:`scanner.preprocess.find_candidates`) and
tries the best two.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from scanner import preprocess as pp
from scanner.decoders.base import Decoded, as_gray
from scanner.grid_reader import BACKEND, MAX_MODULE_PX, VERSIONS, GridReader, SoftSymbol

_REGION_PIXELS = 400 * 400  # up to this size an image is taken as one region


class GridDecoder:
    name = BACKEND

    def __init__(self) -> None:
        self._reader = GridReader()

    def read_region(self, roi: np.ndarray, *, deadline: float | None = None, max_module_px: float = MAX_MODULE_PX,
                    versions: tuple[int, ...] = VERSIONS, unread: list[SoftSymbol] | None = None) -> list[Decoded]:
        """The code in ``roi`` (a region around one QR code); stops trying at ``deadline`` (perf_counter);
        ``max_module_px`` and ``versions`` rule out grids (fewer to try); the soft values of a code that did not
        decode go to ``unread`` (see :meth:`scanner.grid_reader.GridReader.read`)."""
        return self._reader.read(roi, deadline=deadline, max_module_px=max_module_px, versions=versions,
                                 unread=unread)

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        gray = as_gray(gray)
        if gray.size <= _REGION_PIXELS:
            return self._reader.read(gray)
        for cand in pp.find_candidates(gray)[:2]:
            roi, (x0, y0) = pp.crop(gray, cand)
            found = self._reader.read(roi)
            if found:
                offset = np.array([x0, y0], np.float32)
                return [replace(d, points=None if d.points is None else d.points + offset) for d in found]
        return []
