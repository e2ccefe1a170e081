"""The link stage (implementation in navab_graph.link): `link(store, settings, nation)`."""
from ..link import LinkReport, link

__all__ = ["LinkReport", "link"]
