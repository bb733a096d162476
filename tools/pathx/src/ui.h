/*
 * ui.h
 *	  How the pathx CLI talks to its user: status lines, progress bars and
 *	  the one error type every command throws.
 *
 * Status lines follow one layout, a right-aligned verb and a text
 * ("    Starting dev cluster on port 28815"), so that a run reads as a list
 * of what was done.  Errors are exceptions of type CliError carrying the
 * problem and the command that fixes it; main() prints both and exits 1.
 * Nothing here talks to PostgreSQL.
 */
#ifndef PATHX_CLI_UI_H
#define PATHX_CLI_UI_H

#include <chrono>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

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

/* "%12s %s\n" on stderr: a status verb and what it applies to. */
void		Step(const std::string &verb, const std::string &text);

/* Warnings go to stderr with a "warning:" prefix. */
void		Warn(const std::string &text);

/* True when stderr is a terminal (progress bars redraw in place). */
bool		StderrIsTty();

/*
 * A progress bar on stderr for long work: redrawn in place on a terminal
 * at most ten times a second, one line per quarter otherwise (CI logs).
 * `total` may be 0 when unknown; then only counts and rates are shown.
 */
class Progress
{
public:
	Progress(std::string label, std::uint64_t total, std::string unit);
	~Progress();

	void		Update(std::uint64_t done);
	void		Finish();		/* final line with the rate */

	/* Extra text after the rate, e.g. rows and rows/s while the bar counts bytes. */
	void		SetNote(std::string note) { note_ = std::move(note); }

	double		Seconds() const;

private:
	void		Draw(bool final_line);

	std::string label_;
	std::uint64_t total_;
	std::string unit_;
	std::string note_;
	std::uint64_t done_ = 0;
	bool		tty_;
	bool		finished_ = false;
	int			next_quarter_ = 1;
	std::chrono::steady_clock::time_point start_;
	std::chrono::steady_clock::time_point last_draw_;
};

/* 1234567 -> "1,234,567" */
std::string Thousands(std::uint64_t n);

/* A number with `digits` decimals. */
std::string Fixed(double v, int digits);

}							/* namespace pathx */

#endif							/* PATHX_CLI_UI_H */
