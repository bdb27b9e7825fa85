"""Command modules for main.py: each has add_arguments(parser) and run(args) -> int."""


def stdout_to_devnull() -> None:
    """After a BrokenPipeError on stdout (`python main.py ... | head`): send further output, and the
    interpreter's flush at exit, to /dev/null instead of raising again."""
    import os
    import sys
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
