"""What a build shows while it renders: a bar on a terminal, nothing extra elsewhere.

A 10-20 s build that prints nothing until it ends looks hung. On a terminal
the build draws a bar (rich) with the output being rendered and an estimate
of the time left, and prints each output's line as it finishes; elsewhere
(CI, a pipe, a log) it prints the same lines once the build ends, one per
output, as it always has. The build calls `begin` once and `finished` per
output, in job order.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def begin(self, names: list[str]) -> None:
        """Rendering starts: the relative paths of every output to render, in order."""

    def finished(self, name: str, line: str) -> None:
        """One output rendered and read back; `line` describes it."""

    def end(self) -> None:
        """Rendering is over (finished or stopped)."""


class Silent:
    """No terminal (or --quiet): the command prints its lines after the build."""

    def begin(self, names: list[str]) -> None:
        pass

    def finished(self, name: str, line: str) -> None:
        pass

    def end(self) -> None:
        pass


class TerminalBar:
    """A rich progress bar on standard error; finished outputs scroll above it."""

    shows_lines = True  # the command need not print the outputs' lines again

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar,
                                   TextColumn, TimeRemainingColumn)

        self.console = console or Console(stderr=True)
        self.bar = Bar(TextColumn("[bold]Rendering"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[current]}"), TimeRemainingColumn(),
                       console=self.console, transient=True)
        self.names: list[str] = []
        self.done = 0
        self.task = None

    def begin(self, names: list[str]) -> None:
        self.names, self.done = names, 0
        self.bar.start()
        self.task = self.bar.add_task("render", total=len(names), current=self._next())

    def finished(self, name: str, line: str) -> None:
        self.done += 1
        self.bar.console.print(line, markup=False, highlight=False)
        self.bar.update(self.task, advance=1, current=self._next())

    def end(self) -> None:
        if self.task is not None:
            self.bar.stop()

    def _next(self) -> str:
        return self.names[self.done] if self.done < len(self.names) else ""
