/*
 * status_lines.h
 *	  Status lines, warnings, progress bars and number formats, written to
 *	  a stream the caller names.
 *
 * These are the pieces of the CLI's output that code below the commands
 * needs too: the benchmark engine (bench/) reports its progress this way
 * but may write only to the stream it is given, never to stderr on its
 * own.  So everything here takes its std::ostream and is told whether that
 * stream is a terminal (a progress bar redraws in place only there);
 * ui.h binds the same functions to stderr for the commands.
 *
 * Layout.  A status line is a right-aligned verb and a text, "%12s %s"
 * ("    Starting dev cluster on port 28815"), so a run reads as a list of
 * what was done; a warning is "warning: " and its text.  Nothing here
 * talks to PostgreSQL or knows of CLI11.
 */
#ifndef PATHX_CLI_STATUS_LINES_H
#define PATHX_CLI_STATUS_LINES_H

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>

namespace pathx
{

/* "%12s %s\n" on `out`, flushed: a status verb and what it applies to. */
void		StatusLine(std::ostream &out, const std::string &verb, const std::string &text);

/* "warning: %s\n" on `out`, flushed. */
void		WarningLine(std::ostream &out, const std::string &text);

/*
 * A progress bar for long work: redrawn in place on a terminal at most ten
 * times a second, one line per quarter otherwise (CI logs).  `total` may
 * be 0 when unknown; then only counts and rates are shown.  Without a
 * stream it draws on stderr (the commands' progress bars).
 */
class Progress
{
public:
	Progress(std::string label, std::uint64_t total, std::string unit);
	Progress(std::string label, std::uint64_t total, std::string unit, std::ostream &out, bool tty);
	~Progress();

	void		Update(std::uint64_t done);
	void		Finish();		/* final line with the rate */

	/* Extra text after the rate, e.g. rows and rows/s while the bar counts bytes. */
	void		SetNote(std::string note) { note_ = std::move(note); }

	double		Seconds() const;

private:
	void		Draw(bool final_line);

	std::ostream &out_;
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

#endif							/* PATHX_CLI_STATUS_LINES_H */
