# Two entry points for a fresh machine: `make run` (the card for the embedded model) and
# `make test`. Both create .venv and install syscard into it first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# llama.cpp is compiled from source by pip. A native (-march=native) build crashes with a
# segfault on CPUs whose AMX/AVX-512 units a VM exposes but does not enable (seen on this
# project's machines), so build for the common x86-64 feature set (AVX2/FMA/F16C) instead.
# Override CMAKE_ARGS to build otherwise (e.g. GPU: CMAKE_ARGS="-DGGML_CUDA=on").
CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
export CMAKE_ARGS

.PHONY: run test lint install clean

$(BIN)/.syscard-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# --no-cache-dir: pip's wheel cache ignores CMAKE_ARGS and could hand back a native build.
	$(BIN)/python -m pip install --no-cache-dir "llama-cpp-python>=0.3.36,<0.4"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/.syscard-installed

run: install
	$(BIN)/syscard run $(ARGS)

# The formatter, the linter and the type checker hold the code's shape: they run first.
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest $(ARGS)

clean:
	rm -rf $(VENV) syscard-out
