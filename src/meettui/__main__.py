import sys

from meettui.cli import main

sys.exit(main())
