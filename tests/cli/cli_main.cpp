/*
 * cli_main.cpp
 *	  The Boost.Test module of the pathx CLI tests (header-only runner).
 *
 * The other files in tests/cli/ add suites: pure unit tests of the CLI's
 * libraries (argument and path handling, the generator, the loader's
 * parser, writers) that need nothing, and integration tests that run the
 * built bin/pathx (PATHX_BIN) against clusters.  tools/pathx/Makefile's
 * `test` target builds and runs them; tests/run-all.sh calls that.
 */
#define BOOST_TEST_MODULE pathx_cli
#include <boost/test/included/unit_test.hpp>
