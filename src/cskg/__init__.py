"""cskg: the Children's Services Knowledge Graph."""

__version__ = "0.1.0"
