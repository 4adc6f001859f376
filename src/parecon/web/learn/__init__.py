"""Learn: a printable introduction to parecon and explainers driven by the engine."""
