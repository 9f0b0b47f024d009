#include "stats/svg.h"

#include "core/html.h"

#include <algorithm>
#include <cstdio>

namespace passerelle::stats {

namespace {

// Drawn for a phone: the viewBox is about as wide as a 360 px screen's column, so that text of
// 14 user units reads at about 13 px there; the CSS caps the width on larger screens (pro.css).
constexpr int kWidth = 360;
constexpr int kLineHeight = 200;
constexpr int kLineLeft = 44;    // room for the largest value
constexpr int kLineBottom = 28;  // room for the first and last period
constexpr int kBarLabel = 18;    // a bar's label sits on its own line above it: long labels fit
constexpr int kBarHeight = 16;
constexpr int kBarGap = 12;
constexpr int kValueRoom = 64;  // the value after the longest bar ("< 5", "123 456")

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

long long MaxShown(const Chart& chart) {
  long long max = 1;
  for (const ChartPoint& p : chart.points) {
    if (p.value) max = std::max(max, *p.value);
  }
  return max;
}

std::string Open(const Chart& chart, int height) {
  const std::string id = XmlEscape(chart.id);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-chart\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
         std::to_string(height) + "\" role=\"img\" aria-labelledby=\"" + id + "-title " + id + "-desc\">" +
         "<title id=\"" + id + "-title\">" + XmlEscape(chart.title) + "</title><desc id=\"" + id + "-desc\">" +
         XmlEscape(chart.description) + "</desc>";
}

}  // namespace

// The same five characters as HTML: &, <, >, " and '.
std::string XmlEscape(const std::string& text) { return core::HtmlEscape(text); }

std::string LineChart(const Chart& chart) {
  std::string svg = Open(chart, kLineHeight);
  const double left = kLineLeft, right = kWidth - 12, top = 16, bottom = kLineHeight - kLineBottom;
  const long long max = MaxShown(chart);
  const std::size_t n = chart.points.size();
  const auto x = [&](std::size_t i) { return n <= 1 ? left : left + (right - left) * i / (n - 1); };
  const auto y = [&](long long v) { return bottom - (bottom - top) * static_cast<double>(v) / max; };
  svg += "<line class=\"app-chart__axis\" x1=\"" + Number(left) + "\" y1=\"" + Number(bottom) + "\" x2=\"" +
         Number(right) + "\" y2=\"" + Number(bottom) + "\"/>";
  svg += "<text class=\"app-chart__label\" text-anchor=\"end\" x=\"" + Number(left - 6) + "\" y=\"" + Number(top + 5) +
         "\">" + std::to_string(max) + "</text>";
  svg += "<text class=\"app-chart__label\" text-anchor=\"end\" x=\"" + Number(left - 6) + "\" y=\"" + Number(bottom) +
         "\">0</text>";
  std::string path;
  for (std::size_t i = 0; i < n; ++i) {
    const long long v = chart.points[i].value.value_or(0);
    path += (path.empty() ? "M" : " L") + Number(x(i)) + " " + Number(y(v));
  }
  if (!path.empty()) svg += "<path class=\"app-chart__line\" d=\"" + path + "\"/>";
  for (std::size_t i = 0; i < n; ++i) {
    const bool hidden = !chart.points[i].value;
    svg += "<circle class=\"" + std::string(hidden ? "app-chart__mark app-chart__mark--hidden" : "app-chart__mark") +
           "\" cx=\"" + Number(x(i)) + "\" cy=\"" + Number(y(chart.points[i].value.value_or(0))) + "\" r=\"3\"/>";
  }
  if (n > 0) {
    svg += "<text class=\"app-chart__label\" x=\"" + Number(left) + "\" y=\"" + Number(bottom + 20) + "\">" +
           XmlEscape(chart.points.front().label) + "</text>";
    if (n > 1) {
      svg += "<text class=\"app-chart__label\" text-anchor=\"end\" x=\"" + Number(right) + "\" y=\"" +
             Number(bottom + 20) + "\">" + XmlEscape(chart.points.back().label) + "</text>";
    }
  }
  return svg + "</svg>";
}

std::string BarChart(const Chart& chart) {
  const int rows = static_cast<int>(chart.points.size());
  constexpr int kRow = kBarLabel + kBarHeight + kBarGap;
  const int height = std::max(1, rows) * kRow + 4;
  std::string svg = Open(chart, height);
  const long long max = MaxShown(chart);
  const double span = kWidth - 4 - kValueRoom;
  for (int i = 0; i < rows; ++i) {
    const ChartPoint& p = chart.points[static_cast<std::size_t>(i)];
    const double top = 4 + i * kRow;
    const double width = p.value ? span * static_cast<double>(*p.value) / max : 0;
    svg += "<text class=\"app-chart__label\" x=\"4\" y=\"" + Number(top + 13) + "\">" + XmlEscape(p.label) + "</text>";
    svg += "<rect class=\"app-chart__bar\" x=\"4\" y=\"" + Number(top + kBarLabel) + "\" width=\"" + Number(width) +
           "\" height=\"" + std::to_string(kBarHeight) + "\"/>";
    svg += "<text class=\"app-chart__value\" x=\"" + Number(4 + width + 6) + "\" y=\"" +
           Number(top + kBarLabel + kBarHeight - 3) + "\">" + XmlEscape(ShowOnPage(p.value, chart.threshold)) +
           "</text>";
  }
  return svg + "</svg>";
}

}  // namespace passerelle::stats
