"""The deficit ladder: which band an overspend falls in, in £m when turnover is known.

A band ``{above: a, up_to: b}`` holds overspends with a < overspend <= b; a surplus is a negative
overspend and falls in the first band, which has no lower limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.frameworks.policy_model import DeficitBand, DeficitLadder


@dataclass(frozen=True)
class BandPlacement:
    band: str
    label: str
    basis: str  # "gbp_m" or "percent"
    overspend: float


def band_for(value: float, bands: list[DeficitBand]) -> DeficitBand:
    for band in bands:
        if (band.above is None or value > band.above) and (
            band.up_to is None or value <= band.up_to
        ):
            return band
    raise ValueError(f"no band holds {value!r}; the ladder should tile the real line")


def place(
    ladder: DeficitLadder, overspend_gbp_m: float | None, overspend_percent: float | None
) -> BandPlacement | None:
    """£m bands where the £m overspend is known, else the % of turnover bands, else None."""
    if overspend_gbp_m is not None:
        band = band_for(overspend_gbp_m, ladder.bands_gbp_m)
        return BandPlacement(band.id, band.label, "gbp_m", overspend_gbp_m)
    if overspend_percent is not None:
        band = band_for(overspend_percent, ladder.bands_percent)
        return BandPlacement(band.id, band.label, "percent", overspend_percent)
    return None


def describe(band: DeficitBand, unit: str) -> str:
    """``over 20 up to 30 £m`` from the numbers, whatever the label says."""
    parts = []
    if band.above is not None:
        parts.append(f"over {band.above:g}")
    if band.up_to is not None:
        parts.append(f"up to and including {band.up_to:g}")
    return (" ".join(parts) or "any") + f" {unit}"
