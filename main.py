"""ISS separation: what would really happen if the Russian segment undocked.

Command line only: parse, then hand over to one command module in cli/.
Every command module has ``add_arguments(parser)`` and ``run(args) -> int``.
Errors caused by the user's input (a bad file, key, value or path) carry
``is_user_error = True``; they are printed as one line and exit with code 2.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# command name -> (module in cli/, one-line help)
COMMANDS = {
    "app": ("cli.app_cmd", "open the desktop app (default command)"),
    "station": ("cli.station_cmd", "print the station's mass properties beside published figures"),
    "export-model": ("cli.export_cmd", "write the station model as binary glTF"),
    "simulate": ("cli.simulate_cmd", "run a scenario headless and print a summary"),
    "calibrate": ("cli.calibrate_cmd", "fit the long-run drag model to the 2022 ISS orbit record (TLEs)"),
    "ensemble": ("cli.ensemble_cmd", "Monte Carlo ensemble of a scenario on Dask (recontact, reentry dates)"),
    "plot": ("cli.plot_cmd", "plot a saved run (.npz) to PNG figures"),
    "screenshot": ("cli.screenshot_cmd", "render one frame offscreen to a PNG"),
    "record": ("cli.record_cmd", "export a frame-exact video"),
    "present": ("cli.present_cmd", "fullscreen presenter mode with chapters"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # command not built yet
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "app")  # `python main.py [SCENARIO] [--option ...]` opens the app
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `python main.py simulate | head`: the reader left early; not an error
        from cli import stdout_to_devnull
        stdout_to_devnull()
        return 0
    except Exception as exc:  # only errors marked as the user's input become one line
        if getattr(exc, "is_user_error", False):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
