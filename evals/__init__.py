"""Evaluation: user simulators, suites, metrics, reports, benchmarks."""
