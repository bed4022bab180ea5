# Patchbay: build, test and demo entry points. `make test` is what CI runs (through .ci/run) as root.
CONFIGURATION ?= Release
SOLUTION      := Patchbay.slnx
CLI_PROJECT   := src/Patchbay.Cli/Patchbay.Cli.csproj
PUBLISH_DIR   := bin/.patchbay

export DOTNET_NOLOGO := 1
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
export CONFIGURATION

.PHONY: all build test bench demo deps require-root check-dotnet clean

all: build

require-root:
	@if [ "$$(id -u)" -ne 0 ]; then \
		echo "make: this target needs root (it installs packages and creates network namespaces with real OVS); run it as root, e.g. sudo make $(MAKECMDGOALS)" >&2; \
		exit 1; \
	fi

deps: require-root
	@scripts/install-deps.sh

check-dotnet:
	@scripts/check-dotnet.sh

# Warnings are errors (Directory.Build.props), so a clean build is also the lint step.
build: check-dotnet
	dotnet build $(SOLUTION) -c $(CONFIGURATION)
	dotnet publish $(CLI_PROJECT) -c $(CONFIGURATION) --no-build -o $(PUBLISH_DIR)
	@printf '%s\n' '#!/bin/sh' '# Runs the published patchbay CLI (make build).' \
		'exec dotnet "$$(dirname "$$(readlink -f "$$0")")/.patchbay/patchbay.dll" "$$@"' > bin/patchbay
	@chmod +x bin/patchbay
	@bin/patchbay --version >/dev/null
	src/Patchbay.Cni/publish.sh $(CONFIGURATION)

test: require-root deps build
	@scripts/run-tests.sh

# Every benchmark suite, bounded (< 15 minutes), then BENCHMARKS.md and benchmarks/*.png (bench/README.md).
bench: require-root deps build
	bench/run-all.sh

demo: require-root deps build
	bin/patchbay lab demo

clean:
	rm -rf bin .test-results
	find src tests bench -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
