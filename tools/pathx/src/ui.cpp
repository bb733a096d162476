/*
 * ui.cpp
 *	  Status lines and progress bars (see ui.h).
 */
#include "ui.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace pathx
{

void
Step(const std::string &verb, const std::string &text)
{
	std::fprintf(stderr, "%12s %s\n", verb.c_str(), text.c_str());
	std::fflush(stderr);
}

void
Warn(const std::string &text)
{
	std::fprintf(stderr, "warning: %s\n", text.c_str());
	std::fflush(stderr);
}

bool
StderrIsTty()
{
	return isatty(2) == 1;
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
	: label_(std::move(label)), total_(total), unit_(std::move(unit)), tty_(StderrIsTty()),
	  start_(std::chrono::steady_clock::now()), last_draw_(start_)
{
}

Progress::~Progress()
{
	/* A bar abandoned by an exception must not leave the cursor mid-line. */
	if (tty_ && !finished_ && done_ > 0)
		std::fputc('\n', stderr);
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
		std::fprintf(stderr, "\r%12s %s\033[K%s", label_.c_str(), line.c_str(), final_line ? "\n" : "");
	else
		std::fprintf(stderr, "%12s %s\n", label_.c_str(), line.c_str());
	std::fflush(stderr);
}

}							/* namespace pathx */
