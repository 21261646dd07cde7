"""Records other apps run through an SOP process, as the task page and `task_complete` see them.

The workflow knows nothing of the apps whose screens do a step's work (the
data collection's worksheets, say). Such an app registers a `TaskLinker` in its
`AppConfig.ready`: given a task, it answers with where that work is done and,
when the step is completed by that work itself (submitting a worksheet), the
message that replaces the task's own completion button. It may also register a
`TaskOpenedHook`, called in the same transaction for every task that opens
(the collection aligns the units' deadlines with their tasks' due times).
"""

from collections.abc import Callable
from dataclasses import dataclass

from kinerja.workflow.models import Task


@dataclass(frozen=True)
class TaskLink:
    """Where a task's work is done. `completes_by` set: the task is completed there, not by hand."""

    url: str
    label: str
    completes_by: str = ""


TaskLinker = Callable[[Task], TaskLink | None]

_linkers: list[TaskLinker] = []


def register_task_linker(linker: TaskLinker) -> None:
    if linker not in _linkers:
        _linkers.append(linker)


def task_links(task: Task) -> list[TaskLink]:
    """What every registered app says about the task, in registration order."""
    return [link for linker in _linkers if (link := linker(task)) is not None]


def completed_elsewhere(task: Task) -> str:
    """Why the task may not be completed by hand ("" when it may)."""
    return next((link.completes_by for link in task_links(task) if link.completes_by), "")


TaskOpenedHook = Callable[[Task], None]

_opened_hooks: list[TaskOpenedHook] = []


def register_task_opened(hook: TaskOpenedHook) -> None:
    if hook not in _opened_hooks:
        _opened_hooks.append(hook)


def task_opened(task: Task) -> None:
    """Tell every registered app that `task` has just opened."""
    for hook in _opened_hooks:
        hook(task)
