"""Graph linking: stance relations (AGREES / CONFLICTS), issues and sides, and the LINKED article graph."""
from .stage import LinkReport, link

__all__ = ["LinkReport", "link"]
