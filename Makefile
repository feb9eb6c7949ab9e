# Convenience wrapper around Meson for people and CI.
#   make        build build/ken-ofp, build/ken-manager, build/ken-bench
#   make run    install missing packages, build, run the main job
#   make test   install missing packages, build (sanitized), run every test
#   make bench  run the benchmarks (see BENCHMARKS.md)
#   make install  install the release build (prefix /usr/local; DESTDIR=...)
#   make deb    build, check, install and smoke-test the Debian packages
BUILD ?= build
SAN ?= build-san

.PHONY: all deps run test bench clean install deb

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_ndebug=true

deps:
	@scripts/install-deps.sh

run: deps all
	@scripts/run.sh

test: deps
	@tests/run.sh

bench: deps all
	@bench/run.sh

# docs/install.md. ldconfig makes a new libken.so.0 in /usr/local known.
install: all
	meson install -C $(BUILD) --no-rebuild
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

deb:
	@scripts/build-deb.sh

clean:
	rm -rf $(BUILD) $(SAN) build-tsan build-fuzz
