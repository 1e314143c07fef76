"""Half-up rounding, as NHS England's published figures use it.

numpy's ``round`` is half-to-even on binary floats, which publishes 2.315 as 2.31 where the
publisher shows 2.32; the tiny guard absorbs binary representation error (2.315 is stored as
2.31499999...).
"""

from __future__ import annotations

from typing import overload

import numpy as np
from numpy.typing import NDArray

_GUARD = 1e-9


@overload
def half_up(x: float, dp: int = 2) -> float: ...
@overload
def half_up(x: NDArray[np.float64], dp: int = 2) -> NDArray[np.float64]: ...


def half_up(x: float | NDArray[np.float64], dp: int = 2) -> float | NDArray[np.float64]:
    """Round half away from zero to ``dp`` decimal places (scalars or arrays)."""
    scale = 10.0**dp
    arr = np.asarray(x, dtype=np.float64)
    out = np.sign(arr) * np.floor(np.abs(arr) * scale + 0.5 + _GUARD) / scale
    if np.ndim(out) == 0:
        return float(out)
    return out
