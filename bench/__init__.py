"""Benchmarks: `make bench` (bench/run.py) and `make bench-draw` (bench/draw.py). Not tests:
they print figures and check no thresholds. See docs/scaling.md for what they measured."""
