"""`syscard run`: build the suite's tasks, run them as one Inspect eval set, write the card."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syscard import request_limits
from syscard.data import DatasetMissing
from syscard.errors import SyscardError
from syscard.evals import EVALS, SECTIONS, SUITES
from syscard.files import require_free_space
from syscard.graders.registry import OFFLINE, grader_model_name

DEFAULT_MODEL = "gguf/smollm2"
DEFAULT_OUT = "syscard-out"
# Greedy decoding: a card should come out the same when the same command is run again.
DEFAULT_TEMPERATURE = 0.0
DEFAULT_SEED = 0
MAX_TOKENS = {"quick": 128, "full": 512}


class SuiteError(SyscardError, ValueError):
    """The suite names something that is neither a suite, a section nor an eval."""


def resolve_suite(names: list[str]) -> tuple[str, list[str]]:
    """Return (suite label, eval names) for `--suite` values (suite, section or eval names)."""
    evals: list[str] = []
    for name in names:
        if name in SUITES:
            evals += SUITES[name]
        elif name in SECTIONS:
            evals += [e for e, info in EVALS.items() if info.section.key == name]
        elif name in EVALS:
            evals.append(name)
        else:
            known = ", ".join([*SUITES, *SECTIONS, *EVALS])
            raise SuiteError(f"unknown suite or eval '{name}': choose from {known}")
    return ",".join(names), list(dict.fromkeys(evals))


@dataclass
class RunConfig:
    models: list[str] = field(default_factory=lambda: [DEFAULT_MODEL])
    grader: str = OFFLINE
    suite: list[str] = field(default_factory=lambda: ["quick"])
    limit: int | None = None
    out: Path = Path(DEFAULT_OUT)
    data_dir: str | None = None
    max_tokens: int | None = None
    display: str | None = None
    system_prompt: str | None = None  # prepended to every sample: the simplest mitigation
    mitigation: str | None = None  # "deliberative": reason over the safety spec, then answer
    spec: str | None = None  # the mitigation's safety spec YAML (default: syscard's own)
    # A provider that keeps failing must not hang the run (Inspect's default retries without
    # limit, with back-off up to 30 minutes): bounded retries per request, a time limit per
    # request and per attempt, and a bounded number of tries per sample. A sample that runs
    # out of them is an error in n_errors.
    max_retries: int = request_limits.MAX_RETRIES
    timeout: int = request_limits.TIMEOUT  # seconds per request, retries included
    attempt_timeout: int = request_limits.ATTEMPT_TIMEOUT  # seconds per attempt
    sample_retries: int = request_limits.SAMPLE_RETRIES
    retry_errors: bool = True  # a rerun retries samples that failed (see syscard.rerun)

    @property
    def quick(self) -> bool:
        return self.suite == ["quick"]


def build_tasks(config: RunConfig, skipped: list[str] | None = None) -> list[Any]:
    """Return the Inspect tasks for the configured suite (datasets are loaded here).

    An eval named explicitly must have its data (else DatasetMissing, whose message names
    the fix). One that comes with a suite or section is skipped when its data is absent —
    `--suite full` should not stop because WildChat is not on the machine — and the reason
    is appended to `skipped`.
    """
    _, names = resolve_suite(config.suite)
    tasks = []
    for name in names:
        offered = {"grader": config.grader, "data_dir": config.data_dir}
        try:
            task = with_system_prompt(
                EVALS[name].build(offered, config.quick), config.system_prompt
            )
            if config.mitigation:
                from syscard.mitigations import apply_mitigation

                task = apply_mitigation(task, config.mitigation, config.spec)
            tasks.append(task)
        except DatasetMissing as ex:
            if name in config.suite or skipped is None:
                raise
            skipped.append(f"{name}: {ex}")
    return tasks


SYSTEM_PROMPT_MITIGATION = "system_prompt"


def with_system_prompt(task: Any, text: str | None) -> Any:
    """Return `task` with `text` as a system message before its solver (unchanged if None).

    The run is labelled with mitigation "system_prompt" (and the text) in the task's
    metadata, so the card shows it as the same model with a mitigation, side by side.
    """
    if not text:
        return task
    from inspect_ai import task_with
    from inspect_ai.solver import chain, system_message

    # system_message() formats {placeholders} from sample metadata; a literal prompt must not.
    literal = text.replace("{", "{{").replace("}", "}}")
    return task_with(
        task,
        solver=chain(system_message(literal), task.solver),
        metadata={
            **(task.metadata or {}),
            "mitigation": SYSTEM_PROMPT_MITIGATION,
            "system_prompt": text,
        },
    )


def run_suite(
    config: RunConfig,
    skipped: list[str] | None = None,
    say: Callable[[str], None] | None = None,
) -> tuple[bool, Path]:
    """Run (or resume) the suite into `config.out/logs`; return (all done, log dir).

    Evals skipped for missing data are appended to `skipped` (see `build_tasks`); `say` is
    told what the run does beyond a plain run (retrying failed samples).
    """
    from inspect_ai import eval_set

    log_dir = config.out / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    require_free_space(log_dir, "the run's logs")
    tasks = build_tasks(config, skipped)
    if config.retry_errors:
        from syscard.rerun import invalidate_failed

        retried = invalidate_failed(log_dir)
        if retried and say is not None:
            say(
                f"retrying {retried} sample(s) that failed last time (provider or grader "
                "errors); completed samples are kept"
            )
    if not tasks:
        raise SuiteError("nothing to run: every eval of the suite lacks its data (see above)")
    suite_label, _ = resolve_suite(config.suite)
    max_tokens = config.max_tokens or MAX_TOKENS["quick" if config.quick else "full"]
    grader_model = grader_model_name(config.grader)
    success, _ = eval_set(
        tasks,
        log_dir=str(log_dir),
        model=config.models,
        model_roles={"grader": grader_model} if grader_model else None,
        limit=config.limit,
        max_tokens=max_tokens,
        temperature=DEFAULT_TEMPERATURE,
        seed=DEFAULT_SEED,
        # Inherited by every model a task uses (the graders too), not only the one under test.
        max_retries=config.max_retries,
        timeout=config.timeout,
        attempt_timeout=config.attempt_timeout,
        # Provider errors are recorded on their samples and counted as errors, never as a
        # verdict; a sample is tried `sample_retries` more times before that.
        fail_on_error=False,
        retry_on_error=config.sample_retries,
        retry_attempts=2,
        retry_immediate=True,
        # A failed log holds the samples that finished: never delete it (a full disk, a crash).
        retry_cleanup=False,
        log_dir_allow_dirty=True,
        display=config.display,  # type: ignore[arg-type]
        metadata={"syscard_suite": suite_label},
    )
    remove_superseded_logs(log_dir)
    return success, log_dir


def remove_superseded_logs(log_dir: Path) -> int:
    """Delete the older logs of each task (same task id: same task and arguments) whose newest
    log finished; return how many.

    Inspect seeds each retry's log from the one before, so a finished newest log holds every
    sample the older ones do. Logs are never deleted while the newest is unfinished (a crash,
    a full disk): the run passes `retry_cleanup=False` so that Inspect does not either.
    """
    from inspect_ai.log import list_eval_logs, read_eval_log

    by_task: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    for info in list_eval_logs(str(log_dir)):
        header = read_eval_log(info.name, header_only=True)
        by_task.setdefault((header.eval.task_id, header.eval.model), []).append((info.name, header))
    removed = 0
    for logs in by_task.values():
        logs.sort(key=lambda item: item[1].eval.created)
        if logs[-1][1].status != "success":
            continue
        for path, _ in logs[:-1]:
            Path(path.removeprefix("file://")).unlink(missing_ok=True)
            removed += 1
    return removed
