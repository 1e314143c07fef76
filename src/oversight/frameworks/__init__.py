"""Declarative, versioned framework definitions (no database or engine imports here)."""

from oversight.frameworks.loader import framework_digest, load_framework
from oversight.frameworks.model import Framework, Metric

__all__ = ["Framework", "Metric", "framework_digest", "load_framework"]
