"""The one exception base of opsbook, and the exit codes the command line maps it to.

Every error opsbook raises on purpose derives from :class:`OpsbookError`; ``cli.py`` turns it
into the user's message and exit code in one place, so no user ever sees a traceback.
"""

from __future__ import annotations

USAGE_EXIT = 2  # the command was called wrongly: click prints the usage line and the reason
FAILURE_EXIT = 1  # the input or the environment is wrong: the message says what to fix


class OpsbookError(Exception):
    """An error opsbook reports to the user.

    ``exit_code`` 2 (:data:`USAGE_EXIT`) is shown as a usage error (``Error: <message>`` after
    the usage line); any other code prints ``prefix + message`` on stderr.
    """

    exit_code: int = FAILURE_EXIT
    prefix: str = "Error: "

    def shown(self) -> str:
        return f"{self.prefix}{self}"


class OpsbookUsageError(OpsbookError):
    """A flag, an argument or a setting has a value opsbook cannot use."""

    exit_code = USAGE_EXIT


class ReportedError(OpsbookError):
    """A failure whose whole message is already worded (and translated) by the command."""

    prefix = ""

    def __init__(self, message: str, exit_code: int = FAILURE_EXIT) -> None:
        super().__init__(message)
        self.exit_code = exit_code
