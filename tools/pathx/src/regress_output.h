/*
 * regress_output.h
 *	  Reading pg_regress's output: which tests failed, and each one's diff.
 *	  Pure string handling, so the tests can feed it recorded output.
 */
#ifndef PATHX_CLI_REGRESS_OUTPUT_H
#define PATHX_CLI_REGRESS_OUTPUT_H

#include <map>
#include <string>
#include <vector>

namespace pathx
{

/* regression.diffs split per test name (from "diff ... expected/NAME.out"). */
std::map<std::string, std::string> SplitRegressionDiffs(const std::string &diffs);

/* Test names pg_regress's summary lines mark FAILED. */
std::vector<std::string> FailedRegressTests(const std::string &output);

}							/* namespace pathx */

#endif							/* PATHX_CLI_REGRESS_OUTPUT_H */
