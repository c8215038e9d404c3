"""When replies and shares come, and how many: the SEISMIC memory kernel and cascade sizes."""

from __future__ import annotations

from .platforms import PLATFORMS

# The SEISMIC kernel (Zhao et al., KDD 2015): constant up to S0, then (s/S0)^-(1+THETA).
KERNEL_S0 = 300.0
KERNEL_THETA = 0.242
KERNEL_HEAD = KERNEL_THETA / (1.0 + KERNEL_THETA)  # share of the mass within S0
FOLLOWER_EXPONENT = 0.5  # cascade size grows with followers, damped to stay subcritical
MAX_CHILDREN_MEAN = 60.0
KIND_SPREAD = {"share": 0.8, "reply": 0.35, "comment": 0.5, "message": 0.6}
SENTIMENT_SPREAD = {"negative": 1.1, "neutral": 0.9, "positive": 0.8}


def kernel_delay(bits: int) -> float:
    """A delay (seconds) between a post and one of its replies or shares, from 42 random bits."""
    pick = (bits & 0x1FFFFF) * _UNIT21
    r = ((bits >> 21 & 0x1FFFFF) + 0.5) * _UNIT21
    if pick < KERNEL_HEAD:
        return r * KERNEL_S0
    return KERNEL_S0 * r**_TAIL_POWER


_UNIT21 = 1.0 / (1 << 21)
_UNIT22 = 1.0 / (1 << 22)
_UNIT32 = 1.0 / (1 << 32)
_TAIL_POWER = -1.0 / KERNEL_THETA


def children_mean(
    platform: str, kind: str, followers: int, sentiment: str, virality: float
) -> float:
    mean = (
        PLATFORMS[platform].cascade
        * KIND_SPREAD.get(kind, 1.0)
        * (max(followers, 1) / 1000.0) ** FOLLOWER_EXPONENT
        * SENTIMENT_SPREAD[sentiment]
        * virality
    )
    return min(mean, MAX_CHILDREN_MEAN)
