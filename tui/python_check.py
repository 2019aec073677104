# -*- coding: utf-8 -*-
"""The check that the Python is new enough, run before anything else; it must parse on old Pythons.

No annotations, f-strings or `from __future__ import annotations` here: Python 2.7 and 3.6 to
3.10 read this file to say, in one line of Chinese, that they are too old. The one-file bundle
carries a copy at its root (scripts/build_bundle.py), so that the check runs before the `tui`
package is imported.
"""

from __future__ import unicode_literals  # Python 2: the message is text, not UTF-8 bytes

import os
import sys

REQUIRED = (3, 11)
"""The oldest Python the program runs on (pyproject.toml `requires-python`)."""

EXIT_TOO_OLD = 2


def too_old_message(version_info, executable):
    # type: (tuple[int, ...], str) -> str | None
    """The one-line message for a Python older than REQUIRED, else None."""
    if tuple(version_info[:2]) >= REQUIRED:
        return None
    return (
        "govreport-tui 需要 Python %d.%d 或更高版本，当前的 %s 是 Python %s。请改用 Python %d.%d 或更高版本运行。"
        % (
            REQUIRED[0],
            REQUIRED[1],
            executable or "python",
            ".".join(str(part) for part in version_info[:3]),
            REQUIRED[0],
            REQUIRED[1],
        )
    )


def encode_for(text, encoding):
    # type: (str, str | None) -> bytes
    """The text in the terminal's encoding when that can show Chinese (UTF-8, GBK, ...), else in UTF-8."""
    try:
        return text.encode(encoding or "utf-8")
    except (LookupError, UnicodeError):
        return text.encode("utf-8")


def exit_if_too_old():
    # type: () -> None
    """On a Python older than REQUIRED, write the message to standard error and exit with status 2."""
    message = too_old_message(sys.version_info[:3], sys.executable)
    if message is None:
        return
    # Bytes straight to the descriptor: an ASCII locale must not turn the message into a traceback.
    os.write(2, encode_for(message + "\n", getattr(sys.stderr, "encoding", None)))
    sys.exit(EXIT_TOO_OLD)
