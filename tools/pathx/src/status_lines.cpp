/*
 * status_lines.cpp
 *	  Status lines, progress bars and number formats (see status_lines.h).
 *
 * Every line is flushed as it is written: these report work in progress,
 * and a line that sits in a buffer while a 50-second index build runs
 * tells the user nothing.
 */
#include "status_lines.h"

#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <iostream>

namespace pathx
{

void
StatusLine(std::ostream &out, const std::string &verb, const std::string &text)
{
	out << std::right << std::setw(12) << verb << " " << text << "\n" << std::flush;
}

void
WarningLine(std::ostream &out, const std::string &text)
{
	out << "warning: " << text << "\n" << std::flush;
}

std::string
Thousands(std::uint64_t n)
{
	std::string digits = std::to_string(n);
	std::string out;
	int			count = 0;

	for (auto it = digits.rbegin(); it != digits.rend(); ++it)
	{
		if (count > 0 && count % 3 == 0)
			out.insert(out.begin(), ',');
		out.insert(out.begin(), *it);
		count++;
	}
	return out;
}

std::string
Fixed(double v, int digits)
{
	char		buf[64];

	std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
	return buf;
}

Progress::Progress(std::string label, std::uint64_t total, std::string unit)
	: Progress(std::move(label), total, std::move(unit), std::cerr, isatty(2) == 1)
{
}

Progress::Progress(std::string label, std::uint64_t total, std::string unit, std::ostream &out, bool tty)
	: out_(out), label_(std::move(label)), total_(total), unit_(std::move(unit)), tty_(tty),
	  start_(std::chrono::steady_clock::now()), last_draw_(start_)
{
}

Progress::~Progress()
{
	/* A bar abandoned by an exception must not leave the cursor mid-line. */
	if (tty_ && !finished_ && done_ > 0)
		out_ << '\n' << std::flush;
}

double
Progress::Seconds() const
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void
Progress::Update(std::uint64_t done)
{
	done_ = done;
	if (tty_)
	{
		auto		now = std::chrono::steady_clock::now();

		if (now - last_draw_ < std::chrono::milliseconds(100))
			return;
		last_draw_ = now;
		Draw(false);
	}
	else if (total_ > 0)
	{
		/*
		 * Without a terminal, one line per quarter keeps CI logs short; a
		 * jump over several quarters still prints one line, and the last
		 * quarter is left to Finish().
		 */
		bool		crossed = false;

		while (next_quarter_ <= 4 && done_ * 4 >= total_ * static_cast<std::uint64_t>(next_quarter_))
		{
			crossed = crossed || next_quarter_ < 4;
			next_quarter_++;
		}
		if (crossed && done_ < total_)
			Draw(false);
	}
}

void
Progress::Finish()
{
	if (finished_)
		return;
	finished_ = true;
	Draw(true);
}

void
Progress::Draw(bool final_line)
{
	double		secs = Seconds();
	double		rate = secs > 0 ? static_cast<double>(done_) / secs : 0;
	std::string line;

	if (total_ > 0)
	{
		const int	width = 30;
		std::uint64_t shown = done_ > total_ ? total_ : done_;
		int			filled = static_cast<int>(shown * width / total_);
		int			pct = static_cast<int>(shown * 100 / total_);

		line = "[" + std::string(filled, '=') + std::string(width - filled, ' ') + "] " +
			std::to_string(pct) + "% " + Thousands(done_) + "/" + Thousands(total_) + " " + unit_;
	}
	else
		line = Thousands(done_) + " " + unit_;
	line += ", " + Thousands(static_cast<std::uint64_t>(rate)) + " " + unit_ + "/s";
	if (!note_.empty())
		line += ", " + note_;
	if (final_line)
		line += " in " + Fixed(secs, 1) + " s";
	if (tty_)
	{
		out_ << "\r" << std::right << std::setw(12) << label_ << " " << line << "\033[K";
		if (final_line)
			out_ << "\n";
	}
	else
		out_ << std::right << std::setw(12) << label_ << " " << line << "\n";
	out_ << std::flush;
}

}							/* namespace pathx */
