/*
 * ui.h
 *	  How the pathx CLI talks to its user: status lines, progress bars and
 *	  the one error type every command throws.
 *
 * Status lines follow one layout, a right-aligned verb and a text
 * ("    Starting dev cluster on port 28815"), so that a run reads as a list
 * of what was done; status_lines.h holds that layout, the progress bar and
 * the number formats for any stream, and this file binds them to stderr,
 * the commands' stream.  Errors are exceptions of type CliError carrying the
 * problem and the command that fixes it; main() prints both and exits 1.
 * Nothing here talks to PostgreSQL.
 */
#ifndef PATHX_CLI_UI_H
#define PATHX_CLI_UI_H

#include "status_lines.h"

#include <stdexcept>
#include <string>

namespace pathx
{

/* A failure the user can act on: what went wrong and how to fix it. */
class CliError : public std::runtime_error
{
public:
	CliError(const std::string &problem, const std::string &fix = "", int exit_code = 1)
		: std::runtime_error(problem), fix_(fix), exit_code_(exit_code) {}

	const std::string &Fix() const { return fix_; }
	int			ExitCode() const { return exit_code_; }

private:
	std::string fix_;
	int			exit_code_;
};

/* "%12s %s\n" on stderr: a status verb and what it applies to (StatusLine). */
void		Step(const std::string &verb, const std::string &text);

/* Warnings go to stderr with a "warning:" prefix (WarningLine). */
void		Warn(const std::string &text);

/* True when stderr is a terminal (progress bars redraw in place). */
bool		StderrIsTty();

}							/* namespace pathx */

#endif							/* PATHX_CLI_UI_H */
