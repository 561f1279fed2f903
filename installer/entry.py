"""Entry script of the frozen build: the same main() as the `evidencegui` console script."""
import multiprocessing
import sys

from evidencegui.app import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless unless a worker process is ever started
    sys.exit(main())
