# paipian - after-school service timetables (课后服务排片表) with GLPK.
# Targets: all (the paipian binary), test (quick cmocka suite), check (the suite
# under ASan+UBSan, and solves under valgrind), fuzz / fuzz-run (libFuzzer
# harnesses, fuzz/README.md), bench (bench-big: its 50,000-student school alone),
# robust (instances/robust/, bench/robust.sh),
# test-browser (the printed timetable through headless Chromium), test-slurm (the
# district comparison on Slurm), clean.

CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -MMD -MP
CPPFLAGS += -I. $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
CPPFLAGS += $(shell pkg-config --cflags libzip 2>/dev/null)
# CSV sheets (io/csv_read.c: libcsv), .xlsx sheets (io/xlsx_read.c: libzip)
LDLIBS  += -lglpk $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2) -lcsv $(shell pkg-config --libs libzip 2>/dev/null || echo -lzip) -lm
# timetable.xlsx (io/xlsx.c)
CPPFLAGS += $(shell pkg-config --cflags xlsxwriter 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)

LIB_SRC := $(sort $(wildcard model/*.c io/*.c solver/*.c))
LIB_OBJ := $(LIB_SRC:%.c=build/%.o)
# io/school.xsd is compiled into the library as a byte array (paipian runs from any
# directory); the XSD file stays the only source of the schema.
LIB_OBJ += build/gen/school_xsd.o build/gen/scenario_xsd.o
TEST_SRC := $(sort $(wildcard tests/test_*.c))
# tests/test_import.c writes .xlsx workbooks to read back
TEST_LDLIBS := $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter -lz)
TEST_BIN := $(TEST_SRC:tests/%.c=build/tests/%)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=build/bench/%)

all: paipian $(BENCH_BIN)

# Debian packages the build, the tests and the benchmark need; installed when
# missing (as root), so a fresh machine needs nothing but `make deps` / `make test`.
DEB_PKGS := build-essential pkg-config libglpk-dev libxml2-dev libxml2-utils libcmocka-dev \
            libcsv-dev libzip-dev libxlsxwriter-dev chromium fonts-noto-cjk poppler-utils
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "run as root (or: sudo apt-get install $$missing)"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# io/NAME.xsd (school.xsd; scenario.xsd for district scenarios and manifests) as
# the byte array pp_NAME_xsd_bytes, pp_NAME_xsd_size.
build/gen/%_xsd.c: io/%.xsd
	@mkdir -p $(dir $@)
	{ echo '/* generated from $< by the Makefile; do not edit */'; \
	  echo 'const unsigned char pp_$*_xsd_bytes[] = {'; \
	  od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00 };'; \
	  echo 'const unsigned long pp_$*_xsd_size = sizeof pp_$*_xsd_bytes - 1;'; } > $@.tmp && mv $@.tmp $@

.PRECIOUS: build/gen/%_xsd.c
build/gen/%_xsd.o: build/gen/%_xsd.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

build/libpaipian.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

paipian: build/main.o build/libpaipian.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

build/tests/%: tests/%.c build/libpaipian.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< build/libpaipian.a $(LDFLAGS) -lcmocka $(TEST_LDLIBS) $(LDLIBS)

build/bench/%: bench/%.c build/libpaipian.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< build/libpaipian.a $(LDFLAGS) $(LDLIBS)

# The second school generator is split along its concepts in bench/gen2/ (gen2.h).
GEN2_SRC := $(sort $(wildcard bench/gen2/*.c))
build/bench/gen2: bench/gen2.c $(GEN2_SRC) bench/gen2/gen2.h build/libpaipian.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ bench/gen2.c $(GEN2_SRC) build/libpaipian.a $(LDFLAGS) $(LDLIBS)

# Each test binary runs from the repository root so fixtures are found by path.
test:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory test-run

test-run: paipian build/bench/gen2 $(TEST_BIN)
	@LC_ALL=C tests/run.sh $(TEST_BIN)

# The sanitizer build replaces the normal one while it runs (a UBSan report fails
# its test, as an ASan one does); the normal build is
# restored afterwards whatever the outcome, so a failed check never leaves
# sanitizer objects behind for the next plain `make`.
check:
	$(MAKE) clean
	$(MAKE) CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" test-run; \
	  asan=$$?; $(MAKE) clean; $(MAKE) all && tests/valgrind.sh && exit $$asan

# The benchmark's peers and tools (bench/README.md): CBC and GNU time from Debian,
# HiGHS as the npm package `highs` into bench/node_modules at the version of
# bench/package-lock.json; installed when missing, as `make deps` does.
BENCH_PKGS := coinor-cbc time gnuplot-nox nodejs
bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(BENCH_PKGS)$$(command -v npm >/dev/null 2>&1 || echo ' npm')"
	@[ -f bench/node_modules/highs/package.json ] || (cd bench && npm ci --no-audit --no-fund)

bench: all bench-deps
	bench/run.sh; rc=$$?; bench/replan.sh || rc=1; exit $$rc

# The acceptance run over instances/robust/ (bench/robust.sh; not part of `test`):
# ROBUST_SCALE=0.2 multiplies the time limits, ROBUST_ONLY='r0*' picks schools.
robust: all
	bench/robust.sh

# Only the 50,000-student school (bench/big.sh), which `make bench` runs last.
bench-big: all
	bench/big.sh

# Prints the default instance's 排片表 with headless Chromium and checks the PDF
# (page per class/venue/staff, no text cut); not part of `make test`.
test-browser: paipian
	tests/browser.sh

# The district comparison through a real Slurm job array on a single-node Slurm
# started here (tests/slurm.sh; needs root, slurm-wlm and munge).  Not in `test`:
# it starts daemons.
SLURM_PKGS := slurm-wlm munge
test-slurm: paipian
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(SLURM_PKGS)"
	tests/slurm.sh

# libFuzzer: every fuzz/fuzz_NAME.c is a harness linked against the library
# sources rebuilt with clang and the fuzzer, address and undefined-behaviour
# sanitizers, in build/fuzz/ (apart from the normal build).  Any UBSan report
# stops the run like a crash.  `make fuzz-run FUZZ_SECONDS=N` runs each harness
# for N seconds on one core, growing build/fuzz/corpus/NAME from the seeds in
# fuzz/corpus/NAME; crashers land in build/fuzz/artifacts/NAME/.
FUZZ_CC      := clang
FUZZ_FLAGS   := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror $(FUZZ_FLAGS)
FUZZ_LDLIBS  := $(LDLIBS) -lcsv -lzip
FUZZ_SRC     := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/school_xsd.o build/fuzz/obj/gen/scenario_xsd.o
FUZZ_SECONDS ?= 60
FUZZ_RUN_FLAGS ?= -rss_limit_mb=2048 -timeout=10 -print_final_stats=1

fuzz: $(FUZZ_BIN)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

build/fuzz/obj/gen/%_xsd.o: build/gen/%_xsd.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c $< -o $@

build/fuzz/libpaipian.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: fuzz/fuzz_%.c build/fuzz/libpaipian.a
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libpaipian.a $(FUZZ_LDLIBS)

fuzz-run: fuzz
	@for b in $(FUZZ_BIN); do \
	  n=$${b#build/fuzz/fuzz_}; \
	  mkdir -p build/fuzz/corpus/$$n build/fuzz/artifacts/$$n fuzz/corpus/$$n; \
	  echo "fuzz-run: $$n for $(FUZZ_SECONDS) s"; \
	  dict=; [ -f fuzz/$$n.dict ] && dict=-dict=fuzz/$$n.dict; \
	  $$b $(FUZZ_RUN_FLAGS) $$dict -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=build/fuzz/artifacts/$$n/ build/fuzz/corpus/$$n fuzz/corpus/$$n || exit 1; \
	done

clean:
	rm -rf build paipian


.PHONY: all deps test test-run check bench bench-deps bench-big robust fuzz fuzz-run clean test-browser test-slurm
-include $(shell find build -name '*.d' 2>/dev/null)
