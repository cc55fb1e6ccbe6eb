"""Allow ``python -m statuskart``."""

from statuskart.cli import main

main()
