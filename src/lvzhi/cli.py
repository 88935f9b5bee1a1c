"""The ``lvzhi`` command: Django management for this project."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lvzhi", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
