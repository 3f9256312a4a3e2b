"""Progress bars on stderr for the pipeline's :class:`~auditor.collectors.Progress` (imported when a command runs)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgressBar, TextColumn, TimeElapsedColumn

from auditor.collectors import Progress

#: stderr console for progress and verbose messages.
err = Console(stderr=True, highlight=False)


class RichProgress(Progress):
    """Progress bars on stderr (only when stderr is a terminal); ``message`` only with ``--verbose``."""

    def __init__(self, verbose: bool = False):
        self.verbose = verbose
        self.bar = RichProgressBar(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, transient=True, disable=not err.is_terminal,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        self.bar.__exit__(*exc)

    def start(self, task: str, total: int) -> None:
        if task in self.tasks:
            self.bar.update(self.tasks[task], total=total, completed=0)
        else:
            self.tasks[task] = self.bar.add_task(task, total=total)

    def advance(self, task: str, steps: int = 1) -> None:
        if task in self.tasks:
            self.bar.advance(self.tasks[task], steps)

    def message(self, text: str) -> None:
        if self.verbose:
            err.print(text, markup=False)


class SurveyRichProgress:
    """``auditor survey``'s bars on stderr, one per stage with its done and failed tasks (only on a terminal).

    Implements :class:`auditor.survey.run.SurveyProgress`.
    """

    def __init__(self):
        self.bar = RichProgressBar(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, transient=False, disable=not err.is_terminal,
        )
        self.tasks: dict[str, int] = {}
        self.counts: dict[str, list[int]] = {}

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        self.bar.__exit__(*exc)

    def _describe(self, name: str) -> str:
        done, failed = self.counts[name]
        return f"{name:<9} {done} done, {failed} failed"

    def stage(self, name: str, total: int) -> None:
        self.counts[name] = [0, 0]
        if name in self.tasks:
            self.bar.update(self.tasks[name], total=total, completed=0, description=self._describe(name))
        else:
            self.tasks[name] = self.bar.add_task(self._describe(name), total=total)

    def done(self, name: str, ok: bool = True) -> None:
        if name in self.tasks:
            self.counts[name][0 if ok else 1] += 1
            self.bar.update(self.tasks[name], advance=1, description=self._describe(name))
