"""Run the command line with `python -m tui`; an old Python says it is too old (this file parses there)."""

from .python_check import exit_if_too_old

exit_if_too_old()

from .cli import main  # noqa: E402  (only now: it needs the Python just checked for)

raise SystemExit(main())
