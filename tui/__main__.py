"""Run the command line with `python -m tui`."""

from .cli import main

raise SystemExit(main())
