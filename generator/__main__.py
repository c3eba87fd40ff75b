"""Allow ``python -m generator`` as a synonym of ``factsheet``."""

from .cli import main

main()
