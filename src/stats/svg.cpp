#include "stats/svg.h"

#include "core/html.h"

#include <algorithm>
#include <cstdio>

namespace passerelle::stats {

namespace {

constexpr int kWidth = 640;
constexpr int kLineHeight = 220;
constexpr int kMargin = 40;
constexpr int kBarHeight = 22;
constexpr int kBarGap = 8;
constexpr int kLabelWidth = 220;

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
  const double left = kMargin, right = kWidth - kMargin / 2.0, top = kMargin / 2.0, bottom = kLineHeight - kMargin;
  const long long max = MaxShown(chart);
  const std::size_t n = chart.points.size();
  const auto x = [&](std::size_t i) { return n <= 1 ? left : left + (right - left) * i / (n - 1); };
  const auto y = [&](long long v) { return bottom - (bottom - top) * static_cast<double>(v) / max; };
  svg += "<line class=\"app-chart__axis\" x1=\"" + Number(left) + "\" y1=\"" + Number(bottom) + "\" x2=\"" +
         Number(right) + "\" y2=\"" + Number(bottom) + "\"/>";
  svg += "<text class=\"app-chart__label\" x=\"4\" y=\"" + Number(top + 4) + "\">" + std::to_string(max) + "</text>";
  svg += "<text class=\"app-chart__label\" x=\"4\" y=\"" + Number(bottom) + "\">0</text>";
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
    svg += "<text class=\"app-chart__label\" x=\"" + Number(left) + "\" y=\"" + Number(bottom + 18) + "\">" +
           XmlEscape(chart.points.front().label) + "</text>";
    svg += "<text class=\"app-chart__label\" text-anchor=\"end\" x=\"" + Number(right) + "\" y=\"" +
           Number(bottom + 18) + "\">" + XmlEscape(chart.points.back().label) + "</text>";
  }
  return svg + "</svg>";
}

std::string BarChart(const Chart& chart) {
  const int rows = static_cast<int>(chart.points.size());
  const int height = std::max(1, rows) * (kBarHeight + kBarGap) + kBarGap;
  std::string svg = Open(chart, height);
  const long long max = MaxShown(chart);
  const double span = kWidth - kLabelWidth - 70;
  for (int i = 0; i < rows; ++i) {
    const ChartPoint& p = chart.points[static_cast<std::size_t>(i)];
    const double top = kBarGap + i * (kBarHeight + kBarGap);
    const double width = p.value ? span * static_cast<double>(*p.value) / max : 0;
    svg += "<text class=\"app-chart__label\" x=\"4\" y=\"" + Number(top + kBarHeight * 0.7) + "\">" +
           XmlEscape(p.label) + "</text>";
    svg += "<rect class=\"app-chart__bar\" x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + Number(top) +
           "\" width=\"" + Number(width) + "\" height=\"" + std::to_string(kBarHeight) + "\"/>";
    svg += "<text class=\"app-chart__value\" x=\"" + Number(kLabelWidth + width + 6) + "\" y=\"" +
           Number(top + kBarHeight * 0.7) + "\">" + XmlEscape(ShowOnPage(p.value, chart.threshold)) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace passerelle::stats
