"""navab-graph: national-value benchmarks for LLMs from official news, as a graph."""

__version__ = "0.1.0"
