"""kg: Chinese news text to a knowledge graph of people, organisations and places."""

__version__ = "0.1.0"
