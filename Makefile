# aimsaudit: build, test, demo and synthesize the audit functions.
# `make test` runs every test; `make demo` runs the retrain gate end to end
# on a local emulator. Both check their tools first and say what is missing.

SHELL := /bin/bash
GO ?= go
FUNCTIONS := $(notdir $(wildcard functions/*))
LOCAL_OS := $(shell $(GO) env GOOS)
LOCAL_ARCH := $(shell $(GO) env GOARCH)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_CLI_TELEMETRY := true

.PHONY: all check-tools check-node deps build test demo synth lint clean

all: build

# check-tools fails with one line per missing tool and how to get it.
check-tools: check-node
	@set -e; ok=1; \
	gov=$$($(GO) env GOVERSION 2>/dev/null | sed 's/^go//'); \
	if [ -z "$$gov" ] || [ "$$(printf '%s\n1.26\n' "$$gov" | sort -V | head -1)" != "1.26" ]; then \
	  echo "missing: Go >= 1.26 (found '$$gov'); install it from https://go.dev/dl/"; ok=0; fi; \
	if ! command -v moto_server >/dev/null; then \
	  echo "missing: moto_server; install it with: pip install \"moto[server]==5.2.1\""; ok=0; fi; \
	[ $$ok = 1 ] || exit 1

check-node:
	@set -e; \
	if ! command -v node >/dev/null; then \
	  echo "missing: Node.js >= 20 (CDK synth and Azurite need it); install it from your package manager"; exit 1; fi; \
	major=$$(node -p 'process.versions.node.split(".")[0]'); \
	if [ "$$major" -lt 20 ]; then echo "missing: Node.js >= 20 (found $$(node --version))"; exit 1; fi

# deps installs what the package registries give: Azurite (pinned) from npm.
deps: check-node
	@if [ -f localstack/azurite/package-lock.json ]; then \
	  cd localstack/azurite && npm ci --no-audit --no-fund --loglevel=error; fi

# build writes build/<function>/bootstrap for Lambda (linux/arm64) and
# build/local/<function>/bootstrap for runs under the runtime emulator here.
build:
	@set -e; for fn in $(FUNCTIONS); do \
	  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc -trimpath \
	    -o build/$$fn/bootstrap ./functions/$$fn; \
	  CGO_ENABLED=0 GOOS=$(LOCAL_OS) GOARCH=$(LOCAL_ARCH) $(GO) build -tags lambda.norpc \
	    -o build/local/$$fn/bootstrap ./functions/$$fn; \
	  echo "built build/$$fn/bootstrap (linux/arm64) and build/local/$$fn/bootstrap"; \
	done
	@$(GO) build -o build/aimsaudit ./cmd/aimsaudit && echo "built build/aimsaudit"

test: check-tools deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

demo: check-tools deps
	$(GO) run ./localstack/demo

synth: check-node build
	CDK_OUTDIR=cdk.out $(GO) run ./infra
	@echo "wrote cdk.out"

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

clean:
	rm -rf build cdk.out
