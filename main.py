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


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; only = one command's parser alone (its module is the only one imported:
    `simulate` then starts without the station's mesh libraries, issue 13 item 5)."""
    parser = argparse.ArgumentParser(prog="main.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        if only is not None and name != only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # command not built yet
        module.add_arguments(cmd := sub.add_parser(name, help=help_text, description=help_text))
        cmd.add_argument("--allow-large", action="store_true",
                         help="run even when the estimate is over a budget (1e8 steps, 2 GiB of samples, "
                              "100,000 video frames): see scenario/plausible.py")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "app")  # `python main.py [SCENARIO] [--option ...]` opens the app
    parser = build_parser(argv[0] if argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from fileio import signals
    from fileio.atomic import remove_temporaries
    allow = _allow_large(args)
    previous = signals.install()   # SIGTERM / SIGHUP unwind like Ctrl-C: every writer removes its temporary
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        _line("interrupted")
        return 130
    except signals.Terminated as exc:
        _line(f"interrupted ({exc.name}): nothing half-written was left")
        return exc.exit_code
    except BrokenPipeError:  # `python main.py simulate | head`: the reader left early; not an error
        from cli import stdout_to_devnull
        stdout_to_devnull()
        return 0
    except Exception as exc:  # only errors marked as the user's input become one line
        cause = _terminated_within(exc, signals.Terminated)
        if cause is not None:   # a library's bare `except:` (skyfield's import) swallowed the signal
            _line(f"interrupted ({cause.name}): nothing half-written was left")
            return cause.exit_code
        if getattr(exc, "is_user_error", False):
            _line(f"error: {exc}")
            return 2
        backstop = _backstop(exc)
        if backstop is None:
            raise
        _line(f"error: {backstop}")
        return 2
    finally:
        remove_temporaries()   # a backstop: the writers' own cleanup normally leaves none
        signals.restore(previous)          # main() called in-process (tests) leaves the caller's handlers
        if allow is not None:
            allow()


def _terminated_within(exc: BaseException, kind: type):
    """The signal exception (fileio.signals.Terminated) in exc's __context__/__cause__ chain, or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _allow_large(args):
    """--allow-large: set the environment flag the budget checks read (the app's worker process
    inherits it); returns the function that puts the environment back, or None."""
    if not getattr(args, "allow_large", False):
        return None
    import os
    from scenario.plausible import ALLOW_ENV
    before = os.environ.get(ALLOW_ENV)
    os.environ[ALLOW_ENV] = "1"

    def undo() -> None:
        if before is None:
            os.environ.pop(ALLOW_ENV, None)
        else:
            os.environ[ALLOW_ENV] = before
    return undo


def _line(text: str) -> None:
    """One line on stderr: a user's newline, NUL or control character is shown escaped, never raw."""
    from cli.progress import end_open_line
    from fileio.text import one_line
    try:
        end_open_line()                # never at the end of a progress bar's line
        print(one_line(text), file=sys.stderr, flush=True)
    except OSError:
        pass


def _backstop(exc: BaseException) -> str | None:
    """Errors no check caught that are still the input's doing, as one line (the checks before work
    come first; this is the guard behind them)."""
    if isinstance(exc, MemoryError):
        return "out of memory: the run is too large for this machine (shorter duration_s or larger output_interval_s)"
    if isinstance(exc, RecursionError):
        return "input nested too deeply"
    if isinstance(exc, OSError) and exc.errno in (28, 30, 122):   # ENOSPC, EROFS, EDQUOT: the output's disk
        return f"{exc.filename or 'output'}: cannot write ({exc.strerror})"
    return None


if __name__ == "__main__":
    sys.exit(main())
