/*
 * svg_chart.cpp
 *	  The benchmark chart as SVG (see svg_chart.h for the layout).
 *
 * Coordinates are computed here in pixels; the SVG has a fixed viewBox and
 * width so browsers and rsvg render it the same.  Text is sized in pixels
 * with a generic sans-serif family: no font file to embed.  Numbers are
 * written with two decimals at most, which keeps the file small and diffs
 * of committed charts readable.
 */
#include "bench/svg_chart.h"

#include "bench/bench.h"
#include "status_lines.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace pathx::bench
{

std::string
XmlEscape(const std::string &text)
{
	std::string out;

	out.reserve(text.size());
	for (unsigned char ch : text)
	{
		switch (ch)
		{
			case '<':
				out += "&lt;";
				break;
			case '>':
				out += "&gt;";
				break;
			case '&':
				out += "&amp;";
				break;
			case '"':
				out += "&quot;";
				break;
			case '\'':
				out += "&apos;";
				break;
			default:
				/* control characters are not allowed in XML 1.0 text */
				if (ch < 0x20 && ch != '\t' && ch != '\n')
					out += ' ';
				else
					out.push_back(static_cast<char>(ch));
		}
	}
	return out;
}

LogScale::LogScale(double lo, double hi, double x0, double x1)
	: lo_(lo), hi_(hi), x0_(x0), x1_(x1)
{
	if (!(lo_ > 0))
		lo_ = 1e-3;
	if (!(hi_ > lo_))
		hi_ = lo_ * 10;
}

LogScale
LogScale::ForValues(double min_value, double max_value, double x0, double x1)
{
	double		lo = min_value > 0 ? std::pow(10.0, std::floor(std::log10(min_value))) : 0.1;
	double		hi = max_value > 0 ? std::pow(10.0, std::ceil(std::log10(max_value))) : 10;

	if (hi <= lo)
		hi = lo * 10;
	return LogScale(lo, hi, x0, x1);
}

double
LogScale::Map(double v) const
{
	double		c = std::min(std::max(v, lo_), hi_);

	return x0_ + (x1_ - x0_) * (std::log10(c) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_));
}

std::vector<double>
LogScale::Decades() const
{
	std::vector<double> out;

	for (int e = static_cast<int>(std::floor(std::log10(lo_) + 1e-9));
		 e <= static_cast<int>(std::ceil(std::log10(hi_) - 1e-9)); e++)
		out.push_back(std::pow(10.0, e));
	return out;
}

namespace
{

/* Colour-blind-friendly palette (Okabe-Ito, then greys). */
const char *const kColors[] = {"#7f7f7f", "#e69f00", "#56b4e9", "#009e73", "#d55e00", "#0072b2",
	"#cc79a7", "#f0e442", "#444444", "#999933"};

const char *
Color(size_t i)
{
	return kColors[i % (sizeof(kColors) / sizeof(kColors[0]))];
}

std::string
Num(double v)
{
	char		buf[32];

	std::snprintf(buf, sizeof(buf), "%.2f", v);
	std::string s = buf;

	while (s.back() == '0')
		s.pop_back();
	if (s.back() == '.')
		s.pop_back();
	return s;
}

/* 0.5, 12, 1000, 0.01: tick labels and bar values */
std::string
Short(double v)
{
	if (v >= 100)
		return Fixed(v, 0);
	if (v >= 10)
		return Fixed(v, 1);
	if (v >= 0.1)
		return Fixed(v, 2);
	return Fixed(v, 3);
}

/* Rough text width for a sans-serif font at `size` px. */
double
TextWidth(const std::string &s, double size)
{
	return 0.58 * size * static_cast<double>(s.size());
}

class Svg
{
public:
	explicit Svg(std::ostream &out) : out_(out) {}

	void		Text(double x, double y, const std::string &text, double size,
					 const std::string &extra = "")
	{
		out_ << "<text x=\"" << Num(x) << "\" y=\"" << Num(y) << "\" font-size=\"" << Num(size) << "\""
			<< (extra.empty() ? "" : " " + extra) << ">" << XmlEscape(text) << "</text>\n";
	}

	void		Line(double x1, double y1, double x2, double y2, const std::string &stroke, double width)
	{
		out_ << "<line x1=\"" << Num(x1) << "\" y1=\"" << Num(y1) << "\" x2=\"" << Num(x2) << "\" y2=\""
			<< Num(y2) << "\" stroke=\"" << stroke << "\" stroke-width=\"" << Num(width) << "\"/>\n";
	}

	void		Rect(double x, double y, double w, double h, const std::string &fill,
					 const std::string &cls = "", double opacity = 1, const std::string &tooltip = "")
	{
		out_ << "<rect" << (cls.empty() ? "" : " class=\"" + cls + "\"") << " x=\"" << Num(x) << "\" y=\""
			<< Num(y) << "\" width=\"" << Num(std::max(w, 0.5)) << "\" height=\"" << Num(h)
			<< "\" fill=\"" << fill << "\"";
		if (opacity < 1)
			out_ << " fill-opacity=\"" << Num(opacity) << "\"";
		if (tooltip.empty())
			out_ << "/>\n";
		else
			out_ << "><title>" << XmlEscape(tooltip) << "</title></rect>\n";
	}

	std::ostream &Raw() { return out_; }

private:
	std::ostream &out_;
};

}							/* namespace */

void
RenderLatencyChart(const LatencyChart &chart, std::ostream &out)
{
	const double width = 1100;
	const double label_w = 230;		/* query labels */
	const double right_pad = 70;	/* room for the value after the longest bar */
	const double bar_h = 8;
	const double group_pad = 12;
	const double plot_x0 = label_w;
	const double plot_x1 = width - right_pad;
	const size_t nseries = chart.series.size();
	double		lo = 0;
	double		hi = 0;

	for (const auto &g : chart.bars)
		for (const auto &b : g)
			if (b && b->value > 0)
			{
				lo = lo == 0 ? b->value : std::min(lo, b->value);
				hi = std::max(hi, b->value);
			}

	LogScale	scale = LogScale::ForValues(lo, hi, plot_x0, plot_x1);

	/* legend rows: entries laid out left to right, wrapping */
	std::vector<std::pair<double, double>> legend_pos;
	double		lx = 20;
	double		ly = 74;

	for (const std::string &s : chart.series)
	{
		double		w = 18 + TextWidth(s, 12) + 22;

		if (lx + w > width - 20)
		{
			lx = 20;
			ly += 20;
		}
		legend_pos.emplace_back(lx, ly);
		lx += w;
	}
	if (!chart.pale_note.empty())
		ly += 20;

	double		axis_y = ly + 40;	/* the latency axis: labels above the plot */
	double		plot_y0 = axis_y + 10;
	double		group_h = static_cast<double>(std::max<size_t>(nseries, 1)) * bar_h + group_pad;
	double		plot_y1 = plot_y0 + group_h * static_cast<double>(chart.groups.size());
	double		sizes_y0 = plot_y1 + 70;
	double		size_bar_h = 14;
	double		height = chart.sizes.empty() || chart.sizes_title.empty() ? plot_y1 + 50
		: sizes_y0 + 30 + (size_bar_h + 6) * static_cast<double>(chart.sizes.size()) + 40;

	out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		<< "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Num(width) << "\" height=\""
		<< Num(height) << "\" viewBox=\"0 0 " << Num(width) << " " << Num(height)
		<< "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";

	Svg			svg(out);

	svg.Rect(0, 0, width, height, "#ffffff");
	svg.Text(20, 30, chart.title, 18, "font-weight=\"bold\"");
	svg.Text(20, 52, chart.subtitle, 12, "fill=\"#444444\"");

	/* legend */
	for (size_t i = 0; i < nseries; i++)
	{
		svg.Rect(legend_pos[i].first, legend_pos[i].second - 10, 14, 12, Color(i), "legend");
		svg.Text(legend_pos[i].first + 18, legend_pos[i].second, chart.series[i], 12);
	}
	if (!chart.pale_note.empty())
	{
		svg.Rect(20, ly - 10, 14, 12, Color(1), "legend", 0.3);
		svg.Text(38, ly, chart.pale_note, 12, "fill=\"#444444\"");
	}

	/* alternate group backgrounds first, so that the grid shows on them */
	for (size_t g = 1; g < chart.groups.size(); g += 2)
		svg.Rect(0, plot_y0 + group_h * static_cast<double>(g) - group_pad / 2, width, group_h, "#f5f5f5");

	/* latency axis: decade grid lines, minor lines at 2 and 5 */
	svg.Text((plot_x0 + plot_x1) / 2, axis_y - 22, chart.axis_label, 12, "text-anchor=\"middle\"");
	for (double d : scale.Decades())
	{
		for (double m : {2.0, 5.0})
			if (d * m < scale.Hi())
				svg.Line(scale.Map(d * m), plot_y0, scale.Map(d * m), plot_y1, "#eeeeee", 1);
		svg.Line(scale.Map(d), plot_y0 - 4, scale.Map(d), plot_y1, "#bbbbbb", 1);
		svg.Text(scale.Map(d), axis_y - 2, d >= 1 ? Fixed(d, 0) : Num(d), 11,
				 "text-anchor=\"middle\" class=\"tick\"");
	}

	/* groups */
	for (size_t g = 0; g < chart.groups.size(); g++)
	{
		double		y = plot_y0 + group_h * static_cast<double>(g);
		double		mid = y + (group_h - group_pad) / 2;

		std::string tip = g < chart.group_tooltips.size() ? chart.group_tooltips[g] : "";
		bool		note = g < chart.group_notes.size() && !chart.group_notes[g].empty();

		out << "<g class=\"group\">";
		if (!tip.empty())
			out << "<title>" << XmlEscape(tip) << "</title>";
		out << "\n";
		svg.Text(plot_x0 - 8, note ? mid - 1 : mid + 4, chart.groups[g], 12, "text-anchor=\"end\"");
		if (note)
			svg.Text(plot_x0 - 8, mid + 11, chart.group_notes[g], 10, "text-anchor=\"end\" fill=\"#666666\"");
		out << "</g>\n";
		for (size_t s = 0; s < nseries && g < chart.bars.size() && s < chart.bars[g].size(); s++)
		{
			const std::optional<ChartBar> &b = chart.bars[g][s];
			double		by = y + bar_h * static_cast<double>(s);

			if (!b || !(b->value > 0))
			{
				/* the strategy cannot express the query: say so, do not leave a silent gap */
				svg.Text(plot_x0 + 3, by + bar_h - 1.5, "-", 8, "fill=\"#999999\"");
				continue;
			}
			double		x = scale.Map(b->value);

			svg.Rect(plot_x0, by, x - plot_x0, bar_h - 1, Color(s), "bar", b->pale ? 0.3 : 1, b->tooltip);
			svg.Text(x + 3, by + bar_h - 1.5, Short(b->value), 8, "fill=\"#333333\"");
		}
	}
	svg.Line(plot_x0, plot_y0 - 4, plot_x0, plot_y1, "#333333", 1);

	/* index sizes */
	if (!chart.sizes.empty() && !chart.sizes_title.empty())
	{
		double		max_size = 0;

		for (const auto &kv : chart.sizes)
			max_size = std::max(max_size, kv.second);
		if (max_size <= 0)
			max_size = 1;
		svg.Text(20, sizes_y0, chart.sizes_title, 14, "font-weight=\"bold\"");
		for (size_t i = 0; i < chart.sizes.size(); i++)
		{
			double		y = sizes_y0 + 16 + (size_bar_h + 6) * static_cast<double>(i);
			double		w = (plot_x1 - plot_x0) * chart.sizes[i].second / max_size;
			size_t		color = 0;

			for (size_t s = 0; s < nseries; s++)
				if (chart.series[s] == chart.sizes[i].first)
					color = s;
			svg.Text(plot_x0 - 8, y + size_bar_h - 3, chart.sizes[i].first, 12, "text-anchor=\"end\"");
			svg.Rect(plot_x0, y, w, size_bar_h, Color(color), "size");
			svg.Text(plot_x0 + w + 4, y + size_bar_h - 3,
					 Fixed(chart.sizes[i].second, 1) + " " + chart.sizes_unit, 11);
		}
	}
	out << "</svg>\n";
}

LatencyChart
BuildChart(const BenchReport &report)
{
	LatencyChart c;

	c.title = "jsonb_pathx_ops benchmark: query latency per strategy";
	c.subtitle = Thousands(static_cast<std::uint64_t>(report.documents)) + " documents, " +
		report.data_source + "; PostgreSQL " + report.server_version.substr(0, report.server_version.find(' ')) +
		"; median of " + std::to_string(report.options.runs) + " run" +
		(report.options.runs == 1 ? "" : "s") + " after a warm-up; -: the strategy cannot express the query";
	c.axis_label = "median latency, ms (log scale)";
	c.pale_note = "pale bar: the plan did not use the strategy's index";
	for (const StrategyResult &r : report.results)
		c.series.push_back(r.strategy.kind == StrategyKind::kSeqScan ? "seq scan" : r.strategy.name);
	for (const BenchQuery &q : report.queries)
	{
		const StrategyResult *seq = report.Find("seq");
		std::vector<std::optional<ChartBar>> row;

		c.groups.push_back(q.name);
		c.group_notes.push_back(seq && seq->queries.count(q.name) ?
								Thousands(static_cast<std::uint64_t>(seq->queries.at(q.name).count)) + " rows, " +
								QueryKindName(q.kind) : QueryKindName(q.kind));
		c.group_tooltips.push_back(q.where);
		for (const StrategyResult &r : report.results)
		{
			auto		it = r.queries.find(q.name);

			if (it == r.queries.end() || !it->second.ran)
			{
				row.push_back(std::nullopt);
				continue;
			}
			ChartBar	b;
			bool		seq_kind = r.strategy.kind == StrategyKind::kSeqScan;

			b.value = std::max(it->second.median_ms, 1e-3);
			b.pale = !seq_kind && !it->second.index_used;
			b.tooltip = (seq_kind ? "seq scan" : r.strategy.name) + ": " + Fixed(it->second.median_ms, 2) +
				" ms median, " + Fixed(it->second.min_ms, 2) + " ms min, " +
				std::to_string(it->second.count) + " rows" +
				(seq_kind ? "" : it->second.index_used ? ", index used" : ", index not used");
			row.push_back(b);
		}
		c.bars.push_back(row);
	}
	c.sizes_title = "Index size";
	c.sizes_unit = "MB";
	for (const StrategyResult &r : report.results)
		if (r.strategy.kind != StrategyKind::kSeqScan)
			c.sizes.emplace_back(r.strategy.name, static_cast<double>(r.size_bytes) / 1048576.0);
	return c;
}

void
WriteSvg(const BenchReport &report, std::ostream &out)
{
	RenderLatencyChart(BuildChart(report), out);
}

}							/* namespace pathx::bench */
