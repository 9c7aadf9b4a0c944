"""Benchmark scripts: each prints a markdown table and keeps raw results in results/."""
