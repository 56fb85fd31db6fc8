"""The frozen app's entry point: the same ``agent-desk`` command, the GUI when given no command."""

import sys

from agent_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
