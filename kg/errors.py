"""The exception hierarchy: every error kg raises on purpose is a :class:`KGError`."""


class KGError(Exception):
    """Root of kg's errors; the CLI turns these into a one-line message and a non-zero exit."""


class InputError(KGError):
    """An input file is missing, unreadable, binary or not decodable."""


class NothingToBuild(InputError):
    """No given file holds a page with text; ``problems`` names each bad input, ``reason`` says the rest."""

    def __init__(self, reason: str, problems: list[str]) -> None:
        first = f" (the first problem: {problems[0]})" if problems else ""
        super().__init__(reason + first)
        self.reason = reason
        self.problems = problems


class DestinationError(InputError):
    """An output folder or file kg cannot (or must not) replace, named with the reason."""


class ModelError(KGError):
    """A model under ``models/`` is missing or cannot be loaded."""


class CorpusError(KGError):
    """A training or evaluation corpus is missing or malformed."""


class Neo4jError(KGError):
    """The Neo4j server is unreachable or a load failed."""
