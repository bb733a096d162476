/*
 * svg_chart.h
 *	  The benchmark's chart as a self-contained SVG file, written by hand:
 *	  no plotting library, no script, no external font or stylesheet, so the
 *	  file opens in any browser and can be committed next to the results.
 *
 * Two layers.  RenderLatencyChart() draws a chart model (LatencyChart)
 * and knows nothing of the benchmark; WriteSvg() builds the model from a
 * BenchReport.  The model is what the tests feed directly.
 *
 * Layout: horizontal grouped bars, one group per query (its name left of
 * the bars, readable without rotation; the SQL as a tooltip), one bar per
 * strategy that ran the query, on a log-scale latency axis (latencies span
 * 0.3 ms to 300 ms), a legend on top, pale bars where the plan did not use
 * the strategy's index; below, a second panel with the index sizes on a
 * linear scale.  All text goes through XmlEscape: query text holds <, &
 * and quotes.
 */
#ifndef PATHX_BENCH_SVG_CHART_H
#define PATHX_BENCH_SVG_CHART_H

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace pathx::bench
{

struct BenchReport;

struct ChartBar
{
	double		value = 0;		/* > 0 */
	bool		pale = false;	/* e.g. the index was not used */
	std::string tooltip;
};

struct LatencyChart
{
	std::string title;
	std::string subtitle;
	std::string axis_label;		/* "median latency, ms (log scale)" */
	std::string pale_note;		/* legend text for pale bars; "" for none */
	std::vector<std::string> series;	/* legend entries, one colour each */
	std::vector<std::string> groups;	/* one label per group */
	std::vector<std::string> group_notes;	/* second line under a label, may be "" */
	std::vector<std::string> group_tooltips;
	std::vector<std::vector<std::optional<ChartBar>>> bars;	/* [group][series]; nullopt: no bar */
	std::string sizes_title;	/* second panel; empty: none */
	std::string sizes_unit;		/* "MB" */
	std::vector<std::pair<std::string, double>> sizes;	/* (series name, value) */
};

/* Text for XML character data and attribute values. */
std::string XmlEscape(const std::string &text);

/* Maps values in [lo, hi] (lo > 0) to [x0, x1] on a log10 scale. */
class LogScale
{
public:
	LogScale(double lo, double hi, double x0, double x1);

	/* Covers [min_value, max_value] with whole decades. */
	static LogScale ForValues(double min_value, double max_value, double x0, double x1);

	double		Map(double v) const;
	double		Lo() const { return lo_; }
	double		Hi() const { return hi_; }

	/* 1, 10, 100 ... within [lo, hi] */
	std::vector<double> Decades() const;

private:
	double		lo_;
	double		hi_;
	double		x0_;
	double		x1_;
};

void		RenderLatencyChart(const LatencyChart &chart, std::ostream &out);

/* The benchmark's chart: latency per query and strategy, index sizes. */
LatencyChart BuildChart(const BenchReport &report);
void		WriteSvg(const BenchReport &report, std::ostream &out);

}							/* namespace pathx::bench */

#endif							/* PATHX_BENCH_SVG_CHART_H */
