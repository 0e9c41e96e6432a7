"""Coded errors. Every error ahdath raises on purpose is an ``AhdathError``.

Codes are stable (``E1xx`` input, ``E2xx`` lexicon, ``E3xx`` gazetteer,
``E4xx`` evaluation, ``E5xx`` usage) so messages can be grepped and tested.
The CLI prints ``str(error)`` as one line and never a traceback.
"""
from __future__ import annotations


class AhdathError(Exception):
    """Base class: ``code`` plus a one-line human message."""

    code = "E000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.message = message
        self.source = source
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}[{self.code}] {self.message}"


class InputError(AhdathError):
    """A report could not be read (missing, empty, binary, undecodable, too big, malformed)."""

    code = "E100"


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class EncodingInputError(InputError):
    code = "E103"


class InputTooLargeError(InputError):
    code = "E104"


class MalformedInputError(InputError):
    code = "E105"


class NotArabicError(InputError):
    code = "E106"


class ReportTimeoutError(InputError):
    """A report was not read within its time budget (``Options.time_budget``, ``--time-budget``)."""

    code = "E107"


class LexiconError(AhdathError):
    """A lexicon file is missing, unreadable or invalid; ``problems`` lists every issue found."""

    code = "E200"

    def __init__(self, message: str, *, problems: list[str] | None = None, source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.problems = list(problems or [])


class GazetteerError(AhdathError):
    code = "E300"


class EvaluationError(AhdathError):
    code = "E400"


class UsageError(AhdathError):
    code = "E500"


class MissingExtraError(UsageError):
    """A feature needs an optional dependency that is not installed; the message names the pip extra."""

    code = "E510"


class StoreError(AhdathError):
    """The event store could not be opened, migrated or written."""

    code = "E600"


class StoreUnavailableError(StoreError):
    """The database URL is invalid or the server cannot be reached."""

    code = "E601"


class SchemaError(StoreError):
    """The database schema is newer than this ahdath, or a migration failed."""

    code = "E602"


class EventNotFoundError(StoreError):
    """No event with that id (or it was deleted or merged)."""

    code = "E603"


class StoreWriteError(StoreError):
    """The database failed mid-command (read-only, disk full, corrupt file, connection lost); the
    transaction in flight was rolled back, so running the command again redoes it."""

    code = "E604"


class StoreLockTimeoutError(StoreError):
    """Another writer held the store's write lock for longer than the wait allowed; the message
    names the process holding it where the database can tell."""

    code = "E605"


class NoSuchStoreError(StoreError):
    """A command that only reads was pointed at a store that does not exist (a mistyped ``--db``);
    it is never created by reading."""

    code = "E606"


class ForeignDatabaseError(StoreError):
    """The database holds tables but not ahdath's: another program's file, left untouched unless
    ``ahdath db upgrade --adopt`` is given."""

    code = "E607"


class WorkerError(AhdathError):
    """A process doing the work of a command ended while it had work (killed by the system, out of
    memory). What was committed before stays; running the command again completes it."""

    code = "E700"
