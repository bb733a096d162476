/*
 * integration_main.cpp
 *	  Test module of the integration tests (header-only Boost.Test runner):
 *	  every other file in tests/integration adds test cases to it.
 */
#define BOOST_TEST_MODULE jsonb_pathx_integration
#include <boost/test/included/unit_test.hpp>
