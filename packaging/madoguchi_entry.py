"""Entry point of the frozen client (PyInstaller, Linux and Windows): ``ui.main.main``. (#9)"""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
