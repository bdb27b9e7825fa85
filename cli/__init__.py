"""Command modules for main.py: each has add_arguments(parser) and run(args) -> int."""
