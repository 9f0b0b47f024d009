#pragma once

#include <string>
#include <vector>

#include "stats/suppression.h"

// Charts drawn on the server as inline SVG (issue 11 §4): no JavaScript, no style attribute (the
// CSP has no 'unsafe-inline'; colours come from classes of static/css), role="img" with a <title>
// and a <desc>. Each chart is followed on its page by its table, which is the real content.
namespace passerelle::stats {

struct ChartPoint {
  std::string label;  // the x axis (a day, a week, a month) or the bar's category
  Shown value;        // nothing: suppressed, drawn on the axis as an open mark and labelled "< 5"
};

struct Chart {
  std::string id;  // unique on the page: ids of the title and description
  std::string title;
  std::string description;
  std::vector<ChartPoint> points;
  long long threshold = kDefaultThreshold;
};

// One line over time; points evenly spaced, the first and last labels written under the axis.
std::string LineChart(const Chart& chart);
// Horizontal bars, one per point, labelled with the category and the shown figure.
std::string BarChart(const Chart& chart);

// `text` escaped for XML character data and attribute values.
std::string XmlEscape(const std::string& text);

}  // namespace passerelle::stats
