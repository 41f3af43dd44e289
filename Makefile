# Balai build. `make run` builds and starts the portal on SQLite; `make test`
# runs every test (PostgreSQL ones when BALAI_TEST_DATABASE_URL is set), of
# the host's module and of the SDK's (sdk/ and its test kit, sdk/sdktest).

GO       ?= go
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X github.com/balaidesa/balai/core/cli.Version=$(VERSION)
PLUGINS  := $(patsubst plugins/%/,%,$(dir $(wildcard plugins/*/main.go)))
EXAMPLES := $(patsubst examples/%/,%,$(dir $(wildcard examples/*/main.go)))
TOOLS    := $(CURDIR)/bin/tools
STATICCHECK_VERSION := v0.8.2
BENCHTIME ?= 2s
# MODULES are the Go modules of the repository: the host, the SDK vendors
# build against, and the SDK's test kit. `go test ./...` at the root does
# not enter the nested ones.
MODULES  := . sdk sdk/sdktest
# FUZZTIME bounds each fuzz target in `make fuzz` (and so in `make test`),
# as a count of inputs: a duration races Go 1.26's fuzz coordinator at its
# deadline and fails a target with "context deadline exceeded" on a busy
# machine though nothing was found (go.dev/issue/75804, fixed in Go 1.27).
FUZZTIME ?= 30000x

.PHONY: build run test fuzz bench lint proto clean

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/balai ./cmd/balai
	@for p in $(PLUGINS); do echo "plugin $$p"; $(GO) build -ldflags '$(LDFLAGS)' -o bin/plugins/$$p ./plugins/$$p || exit 1; done
	@for e in $(EXAMPLES); do echo "example $$e"; $(GO) build -ldflags '$(LDFLAGS)' -o bin/examples/$$e ./examples/$$e || exit 1; done

run: build
	./bin/balai serve

test:
	$(GO) test -count=1 -timeout 30m ./...  # e2e takes 5-10 minutes on 2 cores; the default 10-minute limit is too close
	cd sdk && $(GO) test -count=1 ./...
	cd sdk/sdktest && $(GO) test -count=1 ./...
	@if [ -z "$$BALAI_TEST_DATABASE_URL" ]; then \
		echo "NOTE: PostgreSQL tests were skipped (BALAI_TEST_DATABASE_URL is not set); every storage test ran on SQLite only."; \
	else \
		echo "PostgreSQL tests ran against $$(echo $$BALAI_TEST_DATABASE_URL | sed -E 's#//([^:@]*):[^@]*@#//\1:xxxxx@#')."; \
	fi
	@$(MAKE) --no-print-directory fuzz

# Runs every fuzz target of the repository (any `func FuzzXxx` in a
# _test.go file, found by name so that new targets join without editing
# this file) for FUZZTIME each, from the target's own directory so that
# targets in the nested modules (sdk/input) run too. Inputs that fail are
# saved under the package's testdata/fuzz and replay in every later
# `go test`.
fuzz:
	@grep -r --include='*_test.go' --exclude-dir=.git --exclude-dir=bin --exclude-dir=testdata -o '^func Fuzz[A-Za-z0-9_]*' . \
		| sed -E 's#^(.*)/[^/]*:func (Fuzz[A-Za-z0-9_]*)$$#\1 \2#' | sort -u \
		| while read dir target; do \
			echo "fuzz $$dir $$target for $(FUZZTIME)"; \
			(cd $$dir && $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) .) || exit 1; \
		done

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...
	cd sdk && $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

lint:
	@test -x $(TOOLS)/staticcheck || GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	@for m in $(MODULES); do \
		echo "lint $$m"; \
		(cd $$m && $(GO) vet ./... && $(TOOLS)/staticcheck ./...) || exit 1; \
	done

# Regenerates the plugin wire contract. Needs protoc (Debian: protobuf-compiler);
# the Go generators are pinned and installed into bin/tools.
proto:
	@test -x $(TOOLS)/protoc-gen-go || GOBIN=$(TOOLS) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
	@test -x $(TOOLS)/protoc-gen-go-grpc || GOBIN=$(TOOLS) $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.5.1
	PATH="$(TOOLS):$$PATH" protoc --go_out=. --go_opt=module=github.com/balaidesa/balai \
		--go-grpc_out=. --go-grpc_opt=module=github.com/balaidesa/balai sdk/proto/pluginv1/plugin.proto

clean:
	rm -rf bin
