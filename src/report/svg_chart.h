// A small SVG chart writer: linear or log axes, line series, point series,
// labelled markers. Enough for sweeps and rooflines without a plotting
// dependency; output is plain, valid XML with one <g class="series"> per
// series and data attributes on points so tests can read them back.
#pragma once

#include <string>
#include <vector>

namespace reuselens::report {

struct ChartPoint {
  double x = 0, y = 0;
  std::string label;  // tooltip (<title>) and data-label
  double radius = 3;
  std::string text;  // drawn beside the point when not empty
};

struct ChartSeries {
  std::string name;
  std::string color;  // CSS colour
  std::vector<ChartPoint> points;
  bool line = true;     // connect the points
  bool markers = true;  // draw a circle per point
  bool dashed = false;
};

struct ChartMarker {  // a vertical line with a label, e.g. a chosen alpha
  double x = 0;
  std::string label;
  std::string color = "#555";
};

struct ChartSpec {
  std::string title;
  std::string x_label, y_label;
  bool log_x = false, log_y = false;
  // Axis ranges; equal bounds mean "fit the data".
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
  int width = 720, height = 440;
  std::vector<ChartSeries> series;
  std::vector<ChartMarker> markers;
  // Point texts in a column right of the plot, each joined to its point by a
  // leader line, spaced so that none overlaps (clustered points: networks on
  // a roofline); false: beside each point.
  bool label_column = false;
};

std::string render_svg_chart(const ChartSpec& spec);

// Several charts side by side in one SVG document (each keeps its size).
std::string render_svg_panels(const std::vector<ChartSpec>& panels);

// Escapes &, <, >, " for XML text and attributes.
std::string xml_escape(const std::string& text);

// A qualitative palette (colour-blind safe, Okabe-Ito).
const std::string& palette_color(size_t index);

}  // namespace reuselens::report
