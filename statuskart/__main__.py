"""Allow ``python -m statuskart``."""

from statuskart.cli.commands import main

main()
