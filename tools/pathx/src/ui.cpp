/*
 * ui.cpp
 *	  Status lines and warnings on stderr (see ui.h).
 */
#include "ui.h"

#include <unistd.h>

#include <iostream>

namespace pathx
{

void
Step(const std::string &verb, const std::string &text)
{
	StatusLine(std::cerr, verb, text);
}

void
Warn(const std::string &text)
{
	WarningLine(std::cerr, text);
}

bool
StderrIsTty()
{
	return isatty(2) == 1;
}

}							/* namespace pathx */
