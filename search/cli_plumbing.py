"""Command-line plumbing for ``zeitung``: how option errors read, ``-Wort`` after a query,
argument names in help, a closed pipe. Nothing here knows what the commands do.
"""

from __future__ import annotations

import os
import re
import sys

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

#: Where errors go: one line each, never wrapped.
err = Console(stderr=True, soft_wrap=True)


def print_error(message: str) -> None:
    """One red ``error:`` line on stderr."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)


try:  # typer >= 0.20 carries its own copy of click
    from typer._click.exceptions import ClickException, NoSuchOption
except ImportError:  # pragma: no cover - older typer on click
    from click.exceptions import ClickException, NoSuchOption


class ZeitungGroup(TyperGroup):
    """The command group, with option errors in the one-line form of every other error.

    (typer validates option values with pydantic, whose messages read "Value error, 'x' is
    not one of …" or "Input should be a valid integer, unable to parse string as an integer".)
    """

    def main(self, *args, standalone_mode: bool = True, **kwargs):  # noqa: ANN002, ANN003
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except ClickException as exc:
            print_error(option_error(exc))
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            quiet_stdout()
            sys.exit(0)
        sys.exit(rv if isinstance(rv, int) else 0)


#: typer's (pydantic's) wording of bad option values, and ours.
_REWORDED = (
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"Input should be a valid integer.*"), "wants a whole number"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be at least \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be at most \1"),
)


def option_error(exc: ClickException) -> str:
    """One line for a bad command line: the option, what is wrong, where help is."""
    message = exc.format_message()
    param = getattr(exc, "param", None)
    if param is not None and getattr(exc, "message", None):
        message = exc.message
        for pattern, repl in _REWORDED:
            message = pattern.sub(repl, message)
        names = getattr(param, "opts", None) or [param.human_readable_name]
        message = f"{' / '.join(names)}: {message.rstrip('.')}"
    elif isinstance(exc, NoSuchOption):
        message += " (to search for a word starting with '-', put -- before the query)"
    ctx = getattr(exc, "ctx", None)
    where = f"{ctx.command_path} --help" if ctx is not None else "zeitung --help"
    return f"{message[:1].lower()}{message[1:]} (see {where})"


def plain_argument_names() -> None:
    """Show arguments as click does: ``QUERY...`` in the usage line and help, not typer
    0.2x's ``{QUERY}...`` and ``QUERY... <list[str]>`` (the metavar is the whole story)."""
    argument = getattr(typer.core, "TyperArgument", None)
    if argument is None or not hasattr(argument, "_usage_display_name"):
        return  # pragma: no cover - an older typer already prints them plainly

    def usage_name(self) -> str:  # noqa: ANN001
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 and not name.endswith("...") else "")

    argument._usage_display_name = usage_name
    if hasattr(argument, "display_type_rich"):
        argument.display_type_rich = lambda self, ctx: None


class QueryCommand(TyperCommand):
    """``zeitung search``: a word written ``-Wort`` after the query excludes it, as in the
    query language, instead of being taken for an unknown option (``No such option: -K``).

    Before the arguments reach the option parser, every ``-word`` that is not one of the
    command's options is moved behind a ``--``, in its place among the query words.
    """

    def parse_args(self, ctx, args: list[str]) -> list[str]:  # noqa: ANN001 - click's signature
        return super().parse_args(ctx, split_query_words(args, self._option_arity(ctx)))

    def _option_arity(self, ctx) -> dict[str, bool]:  # noqa: ANN001
        takes_value = {name: False for name in ctx.help_option_names}
        for param in self.get_params(ctx):
            if getattr(param, "param_type_name", "") != "option":
                continue
            for name in (*param.opts, *param.secondary_opts):
                takes_value[name] = not (param.is_flag or param.count)
        return takes_value


def split_query_words(args: list[str], takes_value: dict[str, bool]) -> list[str]:
    """``args`` with the query words (``-Kasachstan`` too) after a ``--``, options before.

    :param takes_value: each option name and whether a value follows it.
    """
    options: list[str] = []
    words: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            words.extend(rest)
            break
        name = arg.split("=", 1)[0]
        if name in takes_value:
            options.append(arg)
            if takes_value[name] and "=" not in arg:
                value = next(rest, None)
                if value is not None:
                    options.append(value)
        elif arg.startswith("--"):
            options.append(arg)  # an unknown long option: the parser names it
        elif arg.startswith("-") and len(arg) > 1:
            short = arg[:2]
            if takes_value.get(short) and arg[2:].isdigit():
                options.append(arg)  # -n5
            elif arg[1].isalpha() or arg[1] in "(\"'=":
                words.append(arg)  # -Wort, -(a OR b), -"ein Satz": an exclusion
            else:
                options.append(arg)
        else:
            words.append(arg)
    return [*options, "--", *words] if words else options


def quiet_stdout() -> None:
    """After a closed pipe (``| head``): send what is still buffered nowhere, exit quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
