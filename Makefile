# Makefile for jsonb_pathx
#
# The extension is built with PGXS.  The same Makefile drives the tools and
# the test suites so that a contributor needs one entry point:
#
#   make                build the extension
#   make install        install it into the server found by pg_config
#   make test           install what is missing, build everything, start a
#                       throwaway cluster and run every test suite
#   make demo           the main job: dev cluster with the extension and a demo
#   make bench          `pathx bench` on a tuned throwaway cluster, 200,000
#                       documents (BENCH_ARGS="--rows N --svg FILE ...")
#   make deb            dist/postgresql-15-jsonb-pathx_<version>_amd64.deb
#                       (debian/, pg_buildext; DEB_DIR=DIR for another place)
#   make dist           dist/jsonb_pathx-<version>.zip for PGXN: git archive
#                       of HEAD, <version> from META.json
#
# Test and upgrade scripts are picked up by wildcard: adding sql/foo.sql or
# extension/jsonb_pathx--0.1--0.2.sql needs no edit here.

PG_CONFIG ?= pg_config

MODULE_big = jsonb_pathx
CORE_SRCS := $(sort $(wildcard extension/src/core/*.cpp))
GLUE_SRCS := $(sort $(wildcard extension/src/pg/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(GLUE_SRCS:.cpp=.o)

MODULEDIR = extension
DATA = extension/jsonb_pathx.control $(sort $(wildcard extension/jsonb_pathx--*.sql))

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=jsonb_pathx

PG_CXXFLAGS = -std=c++17 -Wall -Wextra -fno-omit-frame-pointer -Iextension/src
SHLIB_LINK = -lstdc++

# Debian's server is built with LLVM; the bitcode rule would need clang and
# ignores PG_CXXFLAGS.  JIT inlining of a GIN support module buys nothing.
override with_llvm = no

EXTRA_CLEAN = results regression.diffs regression.out

# Without the server headers PGXS is absent; targets below still work
# (make test installs the headers first and then re-enters make).
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL server headers not found: run 'tools/install-deps.sh' (or 'make test', which does)" >&2
	@exit 1
endif

# PGXS tracks no header dependencies; key layout changes must rebuild all.
$(OBJS): $(wildcard extension/src/*/*.h)

.PHONY: test demo deps bench deb dist
deps:
	tools/install-deps.sh

test:
	tests/run-all.sh

demo:
	tools/demo.sh

bench:
	tools/bench/run.sh $(BENCH_ARGS)

DEB_DIR ?= dist
deb:
	tools/build-deb.sh $(DEB_DIR)

# PGXN's version is default_version as SemVer (0.4 -> 0.4.0): META.json
DIST_VERSION = $(shell sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' META.json | head -1)
dist:
	mkdir -p dist
	git archive --format=zip --prefix=jsonb_pathx-$(DIST_VERSION)/ --output=dist/jsonb_pathx-$(DIST_VERSION).zip HEAD
