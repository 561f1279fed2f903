"""python -m evidencegui"""
import sys

from evidencegui.app import main

sys.exit(main())
