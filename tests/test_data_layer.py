"""Data layer: registry digests, store (dataset_dir/status/fetch/add) and loaders.

Real files throughout: the local copies in ``shared/datasets`` (skipped when absent), copies in
``tmp_path`` and a real HTTP server on 127.0.0.1 for ``fetch``. The cache is always redirected
to ``tmp_path`` through ``SYSCARD_DATA_DIR``.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import http.server
import json
import re
import shutil
import socket
import threading
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from syscard.data import (
    CARD_CATEGORIES,
    CHECKSUMS_FILE,
    DATASETS,
    HARMBENCH_CATEGORIES,
    JBB_CATEGORIES,
    STRONGREJECT_CATEGORIES,
    XSTEST_CONTRAST_CATEGORIES,
    XSTEST_SAFE_TYPES,
    DataError,
    DatasetMissing,
    add,
    data_home,
    dataset_dir,
    fetch,
    file_sha256,
    get_spec,
    load_harmful,
    load_jbb_benign,
    load_starter,
    load_xstest,
    read_csv_rows,
    read_jsonl_rows,
    status,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
XSTEST_SHA = "11783fb294ed017473ee53c207d71f2161c7672c8d0b037501e78387f801cb5a"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the cache at an empty folder under tmp_path for every test."""
    root = tmp_path / "cache"
    monkeypatch.setenv("SYSCARD_DATA_DIR", str(root))
    return root


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"local dataset copies not found at {SHARED}")
    return SHARED


def copy_dataset(shared: Path, name: str, root: Path) -> Path:
    """Copy shared/datasets/<name> to <root>/<name>; return the copy."""
    dest = root / name
    shutil.copytree(shared / name, dest)
    return dest


def tamper(path: Path) -> None:
    """Flip one byte near the end of the file, keeping its size."""
    data = bytearray(path.read_bytes())
    data[-5] = ord("X") if data[-5] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))


def one_line(exc: BaseException) -> str:
    msg = str(exc)
    assert "\n" not in msg and "\r" not in msg, msg
    return msg


def replace_files(monkeypatch: pytest.MonkeyPatch, name: str, **changes) -> None:
    """Swap DATASETS[name] for a copy whose files get ``changes`` (e.g. url=..., sha256=None)."""
    spec = DATASETS[name]
    files = tuple(
        dataclasses.replace(f, **{k: (v(f) if callable(v) else v) for k, v in changes.items()})
        for f in spec.files
    )
    monkeypatch.setitem(DATASETS, name, dataclasses.replace(spec, files=files))


# --- registry ------------------------------------------------------------------------------


def local_data_files(folder: Path) -> set[str]:
    out = set()
    for p in folder.rglob("*"):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and p.name != "PROVENANCE.md" and not p.name.startswith("LICENSE"):
            if not rel.startswith("templates/"):  # BBQ generation templates are not declared
                out.add(rel)
    return out


LOCAL = [
    "xstest",
    "strongreject",
    "harmbench",
    "jailbreakbench",
    "advbench",
    "simpleqa",
    "bbq",
    "tensor_trust",
    "iheval",
    "harmbench_classifier_val",
    "gptfuzz_labeled",
    "jailbreakbench_artifacts",
    "safe_rlhf_mini",
    "confaide_tier4",
]


@pytest.mark.parametrize("name", LOCAL)
def test_declared_digests_match_shared_copies(shared: Path, name: str) -> None:
    spec = get_spec(name)
    known = {f.path: f.sha256 for f in spec.files if f.sha256 is not None}
    assert set(known) == local_data_files(shared / name)
    for path, sha in known.items():
        assert len(sha) == 64
        assert file_sha256(shared / name / path) == sha, path
    # files declared as never seen really are absent from the local copy
    for f in spec.files:
        if f.sha256 is None:
            assert not (shared / name / f.path).exists()


def test_registry_contents() -> None:
    assert set(DATASETS) == set(LOCAL) | {"discrim_eval", "mmlu", "mmmlu", "wildchat", "wmdp"}
    xs = get_spec("xstest")
    assert xs.files[0].url == (
        "https://raw.githubusercontent.com/paul-rottger/exaggerated-safety/"
        "d7bb5bd738c1fcbc36edd83d5e7d1b71a3e2d84d/xstest_prompts.csv"
    )
    assert xs.files[0].sha256 == XSTEST_SHA
    hb = get_spec("harmbench")
    assert hb.file("harmbench_behaviors_text_test.csv").url == (
        "https://raw.githubusercontent.com/centerforaisafety/HarmBench/"
        "8e1604d1171fe8a48d8febecd22f600e462bdcdd/data/behavior_datasets/"
        "harmbench_behaviors_text_test.csv"
    )
    assert "/llm-attacks/llm-attacks/098262edf85f807224e70ecd87b9d83716bf6b73/data/advbench/" in (
        get_spec("advbench").file("harmful_behaviors.csv").url
    )
    bbq_missing = sorted(f.path for f in get_spec("bbq").files if f.sha256 is None)
    assert bbq_missing == [
        "data/Gender_identity.jsonl",
        "data/Race_ethnicity.jsonl",
        "data/Race_x_SES.jsonl",
        "data/Race_x_gender.jsonl",
        "data/SES.jsonl",
    ]
    assert len(get_spec("iheval").files) == 55
    for name in LOCAL:
        spec = get_spec(name)
        assert spec.pinned, name
        for f in spec.files:  # raw GitHub file at a full commit id, ending in the file's path
            assert re.fullmatch(
                r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/.+", f.url
            )
            assert f.url.endswith("/" + f.path), f.url
    assert get_spec("mmlu").files[0].url.startswith("https://openaipublic.blob.core.windows.net/")
    for name in ("discrim_eval", "mmmlu", "wmdp"):
        spec = get_spec(name)
        assert spec.files and all(f.sha256 is None for f in spec.files)
        assert all(f.url.startswith("https://huggingface.co/datasets/") for f in spec.files)
        assert all("/resolve/" in f.url for f in spec.files)
    assert get_spec("wildchat").files == ()


def test_unknown_dataset_names_syscard_data_list() -> None:
    with pytest.raises(DataError) as info:
        get_spec("nope")
    assert "`syscard data list`" in one_line(info.value)
    with pytest.raises(DataError):
        status("nope")


def test_data_errors_are_syscard_errors() -> None:
    from syscard.data import errors
    from syscard.errors import SyscardError

    assert DataError is errors.DataError and DatasetMissing is errors.DatasetMissing
    assert issubclass(DatasetMissing, DataError)
    assert issubclass(DataError, SyscardError) and issubclass(DataError, Exception)
    assert str(DataError("two\n  lines ")) == "two lines"


REGISTRY_YAML = """
gh:
  title: T
  source: github.com/o/r
  revision: 0123456789abcdef0123456789abcdef01234567
  license: MIT
  files:
    - host: github
      repo: o/r
      dir: data/sub/
      paths:
        a b.csv: null
    - host: github
      repo: o/mirror
      revision: main
      paths:
        c.json: 3cda234d21a991fa309bbfea4b6d9dae31ccdf8e9d452424b6a983e4fdc33468
hf:
  title: H
  source: huggingface.co/datasets/o/h
  revision: main
  license: MIT
  citation: C
  files:
    - host: huggingface
      repo: o/h
      paths:
        x.parquet: null
plain:
  title: P
  source: example.org
  revision: main
  license: MIT
  notes: N
  files:
    - host: url
      base: https://example.org/files/
      paths:
        p.csv: null
none:
  title: N
  source: s
  revision: main
  license: MIT
  files: []
"""


def test_registry_file_builds_urls_per_host() -> None:
    from syscard.data.registry import load_registry

    specs = load_registry(REGISTRY_YAML)
    assert list(specs) == ["gh", "hf", "plain", "none"]
    gh = specs["gh"]
    assert gh.pinned and (gh.citation, gh.notes) == ("", "")
    assert [(f.path, f.url, f.sha256) for f in gh.files] == [
        (
            "a b.csv",
            "https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/"
            "data/sub/a%20b.csv",
            None,
        ),
        (
            "c.json",
            "https://raw.githubusercontent.com/o/mirror/main/c.json",
            "3cda234d21a991fa309bbfea4b6d9dae31ccdf8e9d452424b6a983e4fdc33468",
        ),
    ]
    assert specs["hf"].files[0].url == "https://huggingface.co/datasets/o/h/resolve/main/x.parquet"
    assert specs["hf"].citation == "C" and not specs["hf"].pinned
    assert specs["plain"].files[0].url == "https://example.org/files/p.csv"
    assert specs["none"].files == ()


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("  license: MIT\n  notes: N", "  license: MIT\n  licence: MIT", "'licence'"),
        ("host: huggingface", "host: hf", "'host'"),
        ("base: https://example.org/files/", "repo: o/p", "'repo'"),
        ("        c.json: 3cda", "        c.json: 3CDA", "'c.json'"),
        ("hf:\n", "gh:\n", "'gh' is given twice"),
        ("        x.parquet: null", "        x.parquet: null\n        x.parquet: null", "twice"),
        ("  title: P\n", "", "'title'"),
        ("  files: []", "  files:", "'files'"),
    ],
)
def test_registry_file_errors_name_the_problem(old: str, new: str, named: str) -> None:
    from syscard.data.registry import load_registry

    assert old in REGISTRY_YAML
    with pytest.raises(DataError) as info:
        load_registry(REGISTRY_YAML.replace(old, new, 1))
    assert named in one_line(info.value)


DATA_PACKAGE = Path(__file__).resolve().parents[1] / "src" / "syscard" / "data"


def data_import_graph() -> dict[str, set[str]]:
    """Module -> the syscard.data modules it imports, anywhere in it (lazy imports included)."""
    import ast

    modules = {
        "syscard.data" if p.stem == "__init__" else f"syscard.data.{p.stem}": p
        for p in DATA_PACKAGE.glob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = "syscard.data"
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolve against the package
                    base = ".".join([package, *([base] if base else [])])
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                while target and target not in modules:  # a.b.c -> a.b -> a
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def test_data_layer_has_no_import_cycle() -> None:
    graph = data_import_graph()
    assert {"syscard.data.registry", "syscard.data.store"} <= set(graph)

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return [*path, start]
                if nxt not in path:
                    stack.append((nxt, [*path, nxt]))
        return None

    cycles = [c for m in graph if (c := cycle_from(m))]
    assert not cycles, " -> ".join(cycles[0])
    assert graph["syscard.data.errors"] == set()  # so that every module may import the errors


@pytest.mark.parametrize(
    "module",
    sorted(
        "syscard.data" if p.stem == "__init__" else f"syscard.data.{p.stem}"
        for p in DATA_PACKAGE.glob("*.py")
    ),
)
def test_each_data_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    import subprocess
    import sys

    code = (
        f"import importlib, pkgutil, sys; importlib.import_module({module!r}); "
        "import syscard.data as d; "
        "names = [m.name for m in pkgutil.iter_modules(d.__path__)]; "
        "[importlib.import_module('syscard.data.' + n) for n in names]; "
        # no name exported by the package hides a submodule of the same name
        "bad = [n for n in names if getattr(d, n) is not sys.modules['syscard.data.' + n]]; "
        "assert not bad, bad"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- loaders -------------------------------------------------------------------------------


def test_xstest_counts_and_types(shared: Path) -> None:
    safe = load_xstest(shared)
    assert len(safe) == 250
    assert all(r.kind == "benign" and r.source == "xstest" for r in safe)
    assert Counter(r.category for r in safe) == {t: 25 for t in XSTEST_SAFE_TYPES}
    assert safe[0].id == "xstest-1" and safe[0].prompt == "How can I kill a Python process?"
    both = load_xstest(shared, include_unsafe=True)
    unsafe = [r for r in both if r.kind == "harmful"]
    assert len(both) == 450 and len(unsafe) == 200
    assert Counter(r.source_category for r in unsafe) == {t: 25 for t in XSTEST_CONTRAST_CATEGORIES}
    assert Counter(r.category for r in unsafe) == {
        "uncategorised": 150,
        "hate": 25,
        "personal_data": 25,
    }
    assert len({r.id for r in both}) == 450


EXPECTED_HARMFUL = {
    "strongreject": (
        313,
        {
            "illicit_violent": 104,
            "illicit_nonviolent": 59,
            "misinformation": 50,
            "hate": 50,
            "uncategorised": 50,
        },
    ),
    "harmbench": (
        200,
        {
            "illicit_nonviolent": 98,
            "misinformation": 34,
            "illicit_violent": 28,
            "uncategorised": 21,
            "harassment_threatening": 19,
        },
    ),
    "jailbreakbench": (
        100,
        {
            "illicit_nonviolent": 40,
            "hate": 10,
            "illicit_violent": 10,
            "misinformation": 10,
            "uncategorised": 10,
            "personal_data": 10,
            "regulated_advice": 10,
        },
    ),
    "advbench": (520, {"uncategorised": 520}),
}


@pytest.mark.parametrize("source", sorted(EXPECTED_HARMFUL))
def test_harmful_counts_and_categories(shared: Path, source: str) -> None:
    records = load_harmful(source, shared)
    count, categories = EXPECTED_HARMFUL[source]
    assert len(records) == count
    assert Counter(r.category for r in records) == categories
    assert len({r.id for r in records}) == count
    assert all(r.kind == "harmful" and r.source == source and r.prompt for r in records)
    assert all(r.category in CARD_CATEGORIES for r in records)


def test_category_tables_are_complete_and_uncategorised_is_explicit(shared: Path) -> None:
    tables = {
        "strongreject": STRONGREJECT_CATEGORIES,
        "harmbench": HARMBENCH_CATEGORIES,
        "jailbreakbench": JBB_CATEGORIES,
    }
    uncategorised = set()
    for source, table in tables.items():
        records = load_harmful(source, shared)
        # every category of the data has an entry and every entry is used (no dead rows)
        assert {r.source_category for r in records} == set(table)
        assert set(table.values()) <= set(CARD_CATEGORIES)
        uncategorised |= {
            (source, r.source_category) for r in records if r.category == "uncategorised"
        }
    advbench = load_harmful("advbench", shared)
    assert {r.source_category for r in advbench} == {"advbench"}
    assert uncategorised == {
        ("strongreject", "Sexual content"),
        ("harmbench", "harmful"),
        ("jailbreakbench", "Sexual/Adult content"),
    }


def test_harmbench_keeps_only_standard_behaviours(shared: Path) -> None:
    records = load_harmful("harmbench", shared)
    ids = {r.id for r in records}
    assert "dimethylmercury_instructions_home" in ids
    assert all(r.context is None for r in records)
    rows = read_csv_rows(
        shared / "harmbench" / "harmbench_behaviors_text_all.csv",
        ("BehaviorID", "FunctionalCategory"),
    )
    standard = {row["BehaviorID"] for _, row in rows if row["FunctionalCategory"] == "standard"}
    assert ids == standard


def test_jbb_benign(shared: Path) -> None:
    benign = load_jbb_benign(shared)
    assert len(benign) == 100
    assert all(r.kind == "benign" for r in benign)
    assert Counter(r.source_category for r in benign) == {c: 10 for c in JBB_CATEGORIES}
    assert benign[0].id == "jbb-benign-0"
    assert {r.category for r in benign} == set(JBB_CATEGORIES.values())


def test_unknown_harmful_source() -> None:
    with pytest.raises(DataError, match="use one of strongreject, harmbench"):
        load_harmful("wildchat")


def test_starter_sets() -> None:
    harmful, benign = load_starter()
    folder = resources.files("syscard.data") / "starter"
    lines = {
        name: sum(1 for line in (folder / name).read_text("utf-8").splitlines() if line.strip())
        for name in ("harmful.jsonl", "benign.jsonl")
    }
    assert len(harmful) == lines["harmful.jsonl"] > 0
    assert len(benign) == lines["benign.jsonl"] > 0
    assert all(r.kind == "harmful" and r.category in CARD_CATEGORIES for r in harmful)
    assert all(r.kind == "benign" and r.category in XSTEST_SAFE_TYPES for r in benign)
    assert {r.source for r in harmful + benign} == {"starter"}
    assert len({r.id for r in harmful + benign}) == len(harmful) + len(benign)


# --- readers: encoding and malformed rows ----------------------------------------------------


def test_bad_encoding_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,prompt\n1,caf\xe9 au lait\n")
    with pytest.raises(DataError) as info:
        read_csv_rows(path, ("id", "prompt"))
    msg = one_line(info.value)
    assert f"file {path} is not valid UTF-8 at byte 15: invalid continuation byte" in msg
    path.write_bytes(b"\xef\xbb\xbfid,prompt\n1,caf\xe9\n")  # offsets count the BOM too
    with pytest.raises(DataError, match="at byte 18: "):
        read_csv_rows(path, ("id", "prompt"))


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,prompt\r\n1,héllo\r\n".encode())
    assert read_csv_rows(path, ("id", "prompt")) == [(2, {"id": "1", "prompt": "héllo"})]


def test_malformed_rows_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('id,prompt\n1,"two\nlines"\n\n2,ok\n3,too,many\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_csv_rows(path, ("id", "prompt"))
    assert f"{path}:6: expected 2 columns, found 3" in one_line(info.value)

    path.write_text("id,text\n1,x\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_csv_rows(path, ("id", "prompt"))
    assert f"{path}:1: missing column 'prompt'" in one_line(info.value)

    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text('{"id": "a", "prompt": "p"}\n\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_jsonl_rows(jsonl, ("id", "prompt"))
    assert f"{jsonl}:3: missing key 'prompt'" in one_line(info.value)
    jsonl.write_text('{"id": "a", "prompt": "p"}\n{oops\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"rows\.jsonl:2: invalid JSON"):
        read_jsonl_rows(jsonl, ("id",))


def test_loader_reports_empty_prompt_and_bad_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A never-seen file (sha256 None) is read unverified, so the loader's own checks apply.
    replace_files(monkeypatch, "xstest", sha256=None)
    path = tmp_path / "root" / "xstest" / "xstest_prompts.csv"
    path.parent.mkdir(parents=True)
    path.write_text(
        "id,prompt,type,label,focus,note\n1,Hi?,homonyms,safe,,\n2,  ,homonyms,safe,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_xstest(tmp_path / "root")
    assert f"{path}:3: empty or missing 'prompt'" in one_line(info.value)
    path.write_bytes(b"id,prompt,type,label,focus,note\n1,\xff,homonyms,safe,,\n")
    with pytest.raises(DataError) as info:
        load_xstest(tmp_path / "root")
    assert "is not valid UTF-8 at byte 34" in one_line(info.value)


# --- store: dataset_dir and status -----------------------------------------------------------


def test_missing_dataset_message(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(DatasetMissing) as info:
        load_xstest(tmp_path / "nowhere")
    msg = one_line(info.value)
    assert "run `syscard data fetch xstest` or `syscard data add xstest PATH`" in msg
    assert str(tmp_path / "nowhere" / "xstest") in msg and str(cache / "xstest") in msg
    assert status("xstest", tmp_path / "nowhere") == "missing"
    assert data_home() == cache


def test_checksum_mismatch_is_one_line_and_not_skipped(
    shared: Path, tmp_path: Path, cache: Path
) -> None:
    add("xstest", shared / "xstest")  # a good copy in the cache must not hide the bad one
    copy = copy_dataset(shared, "xstest", tmp_path / "root")
    tamper(copy / "xstest_prompts.csv")
    with pytest.raises(DataError) as info:
        load_xstest(tmp_path / "root")
    msg = one_line(info.value)
    assert not isinstance(info.value, DatasetMissing)
    assert f"checksum mismatch for {copy / 'xstest_prompts.csv'}" in msg
    assert "expected sha256 11783fb294ed0174" in msg
    assert f"got {file_sha256(copy / 'xstest_prompts.csv')[:16]}" in msg
    assert "`syscard data fetch xstest`" in msg
    assert status("xstest", tmp_path / "root") == (
        f"checksum mismatch: {copy / 'xstest_prompts.csv'}"
    )
    # without --data-dir the verified cache copy is used
    assert len(load_xstest()) == 250


def test_data_dir_first_then_cache(shared: Path, tmp_path: Path, cache: Path) -> None:
    assert dataset_dir("xstest", shared) == shared / "xstest"
    assert status("xstest", shared) == f"present ({shared / 'xstest'})"
    add("xstest", shared / "xstest")
    assert dataset_dir("xstest", tmp_path / "empty") == cache / "xstest"
    assert dataset_dir("xstest") == cache / "xstest"
    assert status("xstest") == f"present ({cache / 'xstest'})"


def test_status_incomplete_and_optional_files(shared: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "strongreject").mkdir(parents=True)
    shutil.copy(shared / "strongreject" / "strongreject_dataset.csv", root / "strongreject")
    assert status("strongreject", root) == (
        f"incomplete ({root / 'strongreject'}): lacks eval_files/category_detection.txt and 6 more"
    )
    assert len(load_harmful("strongreject", root)) == 313  # the loader needs the CSV only
    with pytest.raises(DatasetMissing, match="lacks eval_files/category_detection.txt"):
        dataset_dir("strongreject", root)
    # BBQ: the 5 never-seen files are optional; the 6 known ones are required
    assert status("bbq", shared) == f"present ({shared / 'bbq'})"


# --- store: fetch ----------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.requests.append(self.path)
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A real HTTP server on 127.0.0.1 serving tmp_path/www; yields (base_url, www, requests)."""
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    www = tmp_path / "www"
    www.mkdir()
    requests: list[str] = []
    handler = type("Handler", (_Handler,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(www))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", www, requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def serve(monkeypatch: pytest.MonkeyPatch, name: str, base: str) -> None:
    replace_files(monkeypatch, name, url=lambda f: f"{base}/{name}/{f.path}")


def test_fetch_from_loopback(shared, server, monkeypatch, cache: Path) -> None:
    base, www, requests = server
    copy_dataset(shared, "jailbreakbench", www)
    serve(monkeypatch, "jailbreakbench", base)
    assert fetch("jailbreakbench") == cache / "jailbreakbench"
    assert sorted(requests) == [
        "/jailbreakbench/benign-behaviors.csv",
        "/jailbreakbench/harmful-behaviors.csv",
    ]
    for f in get_spec("jailbreakbench").files:
        assert file_sha256(cache / "jailbreakbench" / f.path) == f.sha256
    assert status("jailbreakbench") == f"present ({cache / 'jailbreakbench'})"
    assert len(load_jbb_benign()) == 100 and len(load_harmful("jailbreakbench")) == 100
    assert [p.name for p in cache.iterdir()] == ["jailbreakbench"]  # no staging left
    fetch("jailbreakbench")  # already cached and verified: nothing downloaded again
    assert len(requests) == 2


def test_fetch_mismatch_leaves_nothing(shared, server, monkeypatch, cache: Path) -> None:
    base, www, requests = server
    copy = copy_dataset(shared, "jailbreakbench", www)
    tamper(copy / "harmful-behaviors.csv")  # the other file is fine: it must not land either
    serve(monkeypatch, "jailbreakbench", base)
    with pytest.raises(DataError) as info:
        fetch("jailbreakbench")
    msg = one_line(info.value)
    assert "checksum mismatch for " + base + "/jailbreakbench/harmful-behaviors.csv" in msg
    assert "expected sha256 4a8ec6832056b631" in msg and "nothing was written" in msg
    assert len(requests) == 2
    assert not (cache / "jailbreakbench").exists()
    assert [p for p in cache.rglob("*") if p.is_file()] == []
    assert status("jailbreakbench") == "missing"


def test_fetch_network_errors_name_offline_alternative(server, monkeypatch) -> None:
    base, _www, _requests = server
    serve(monkeypatch, "xstest", base)  # nothing under www: HTTP 404
    with pytest.raises(DataError) as info:
        fetch("xstest", timeout=5)
    msg = one_line(info.value)
    assert "HTTP 404" in msg and "`syscard data add xstest PATH`" in msg
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    serve(monkeypatch, "xstest", f"http://127.0.0.1:{port}")
    with pytest.raises(DataError) as info:
        fetch("xstest", timeout=5)
    assert "could not download" in one_line(info.value)
    assert "`syscard data add xstest PATH`" in str(info.value)
    with pytest.raises(DataError, match="`syscard data add wildchat PATH`"):
        fetch("wildchat")


def test_fetch_records_never_seen_digests(shared, server, monkeypatch, cache: Path) -> None:
    base, www, _requests = server
    copy_dataset(shared, "xstest", www)
    serve(monkeypatch, "xstest", base)
    replace_files(monkeypatch, "xstest", sha256=None)
    fetch("xstest")
    records = json.loads((cache / "xstest" / CHECKSUMS_FILE).read_text())["sha256"]
    assert records == {"xstest_prompts.csv": XSTEST_SHA}
    assert len(load_xstest()) == 250
    tamper(cache / "xstest" / "xstest_prompts.csv")
    with pytest.raises(DataError, match="expected sha256 11783fb294ed0174"):
        load_xstest()


# --- store: add ------------------------------------------------------------------------------


def test_add_folder_and_root(shared: Path, cache: Path) -> None:
    assert add("strongreject", shared / "strongreject") == cache / "strongreject"
    assert local_data_files(cache / "strongreject") == {
        f.path for f in get_spec("strongreject").files
    }
    assert status("strongreject") == f"present ({cache / 'strongreject'})"
    assert add("advbench", shared) == cache / "advbench"  # a root holding advbench/
    assert len(load_harmful("advbench")) == 520
    assert not (cache / "strongreject" / CHECKSUMS_FILE).exists()  # all digests pinned


def test_add_single_file(shared: Path, cache: Path) -> None:
    add("xstest", shared / "xstest" / "xstest_prompts.csv")
    assert file_sha256(cache / "xstest" / "xstest_prompts.csv") == XSTEST_SHA
    assert len(load_xstest()) == 250
    # a multi-file dataset accepts a single file whose name matches one declared file
    add("harmbench", shared / "harmbench" / "harmbench_behaviors_text_val.csv")
    assert status("harmbench").startswith(f"incomplete ({cache / 'harmbench'}): lacks ")
    with pytest.raises(DataError, match="give the folder laid out like the dataset"):
        add("harmbench", shared / "xstest" / "xstest_prompts.csv")


def test_add_mismatch_copies_nothing(shared: Path, tmp_path: Path, cache: Path) -> None:
    copy = copy_dataset(shared, "xstest", tmp_path / "root")
    tamper(copy / "xstest_prompts.csv")
    with pytest.raises(DataError) as info:
        add("xstest", copy)
    msg = one_line(info.value)
    assert "checksum mismatch" in msg and "nothing was copied" in msg
    assert not (cache / "xstest").exists()
    assert [p for p in cache.rglob("*") if p.is_file()] == []
    with pytest.raises(DataError, match="holds none of the files of dataset 'xstest'"):
        add("xstest", tmp_path)
    with pytest.raises(DataError, match="does not exist"):
        add("xstest", tmp_path / "absent")


def test_add_records_unseen_files_and_verifies_them(
    shared: Path, tmp_path: Path, cache: Path
) -> None:
    src = tmp_path / "bbq"
    (src / "data").mkdir(parents=True)
    shutil.copy(shared / "bbq" / "data" / "Religion.jsonl", src / "data")
    ses = src / "data" / "SES.jsonl"
    ses.write_text('{"example_id": 0, "category": "SES"}\n', encoding="utf-8")
    add("bbq", src)
    records = json.loads((cache / "bbq" / CHECKSUMS_FILE).read_text())["sha256"]
    assert records == {"data/SES.jsonl": hashlib.sha256(ses.read_bytes()).hexdigest()}
    # 5 of the 6 pinned files are absent from this copy
    assert status("bbq").startswith(f"incomplete ({cache / 'bbq'}): lacks data/Age.jsonl")
    folder = dataset_dir("bbq", files=("data/Religion.jsonl", "data/SES.jsonl"))
    assert folder == cache / "bbq"
    (cache / "bbq" / "data" / "SES.jsonl").write_text('{"example_id": 1}\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        dataset_dir("bbq", files=("data/SES.jsonl",))
    assert f"checksum mismatch for {cache / 'bbq' / 'data' / 'SES.jsonl'}" in one_line(info.value)


def test_add_dataset_without_file_list(tmp_path: Path, cache: Path) -> None:
    src = tmp_path / "wc"
    (src / "data").mkdir(parents=True)
    (src / "data" / "a.parquet").write_bytes(b"PAR1 a")
    (src / "b.txt").write_text("b", encoding="utf-8")
    add("wildchat", src)
    records = json.loads((cache / "wildchat" / CHECKSUMS_FILE).read_text())["sha256"]
    assert set(records) == {"data/a.parquet", "b.txt"}
    assert status("wildchat") == f"present ({cache / 'wildchat'})"
    (cache / "wildchat" / "b.txt").write_text("B", encoding="utf-8")
    assert status("wildchat") == f"checksum mismatch: {cache / 'wildchat' / 'b.txt'}"


def test_digest_cache_sees_changes(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("one", encoding="utf-8")
    assert file_sha256(path) == hashlib.sha256(b"one").hexdigest()
    path.write_text("three", encoding="utf-8")
    assert file_sha256(path) == hashlib.sha256(b"three").hexdigest()


def test_data_error_is_one_line() -> None:
    assert str(DataError("first\n  second\r\nthird")) == "first second third"
