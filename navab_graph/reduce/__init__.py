"""Conflict Reduction: the Cypher procedure set runner (`runner`) and its plain-Python oracle (`reference`).

The definition both implement is in docs/conflict_reduction.md.
"""
from .model import SignedGraph, read_graph
from .reference import RoundResult, reduce_reference

__all__ = ["SignedGraph", "read_graph", "RoundResult", "reduce_reference"]
