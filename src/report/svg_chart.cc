#include "report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace reuselens::report {

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const std::string& palette_color(size_t index) {
  static const std::vector<std::string> colors = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                  "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return colors[index % colors.size()];
}

namespace {

struct Axis {
  double lo, hi;
  bool log;
  double pixel_lo, pixel_hi;
  double map(double v) const {
    const double a = log ? std::log10(lo) : lo;
    const double b = log ? std::log10(hi) : hi;
    const double t = ((log ? std::log10(v) : v) - a) / (b - a);
    return pixel_lo + t * (pixel_hi - pixel_lo);
  }
  std::vector<double> ticks() const {
    std::vector<double> out;
    if (log) {
      for (double e = std::floor(std::log10(lo)); e <= std::ceil(std::log10(hi)); e += 1) {
        const double v = std::pow(10.0, e);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push_back(v);
      }
      return out;
    }
    const double raw = (hi - lo) / 8;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return out;
  }
};

std::string tick_label(double v, bool log) {
  if (log) {
    const int e = static_cast<int>(std::lround(std::log10(v)));
    if (e >= -2 && e <= 4) return fmt::format("{:g}", v);
    return fmt::format("1e{}", e);
  }
  return fmt::format("{:g}", v);
}

void fit(double& lo, double& hi, bool log, double data_lo, double data_hi) {
  if (lo != hi) return;
  lo = data_lo;
  hi = data_hi;
  if (log) {
    lo = std::pow(10.0, std::floor(std::log10(lo)));
    hi = std::pow(10.0, std::ceil(std::log10(hi)));
    if (lo == hi) hi = lo * 10;
  } else {
    const double pad = (hi - lo) * 0.05 + (hi == lo ? 1.0 : 0.0);
    lo -= pad;
    hi += pad;
  }
}

// Point texts stacked in a column at x = right + 12, in the order of their
// points' heights, at least `gap` pixels apart, each with a leader line.
template <typename Inside>
std::string label_column(const ChartSpec& spec, const Inside& inside, const Axis& x, const Axis& y,
                         double right, double top, double bottom) {
  struct Label {
    double px, py, y;
    std::string text;
  };
  std::vector<Label> labels;
  for (const ChartSeries& s : spec.series) {
    if (!s.markers) continue;
    for (const ChartPoint& p : s.points) {
      if (p.text.empty() || !inside(p)) continue;
      labels.push_back({x.map(p.x) + p.radius, y.map(p.y), y.map(p.y), p.text});
    }
  }
  if (labels.empty()) return "";
  // Top to bottom; at one height, right to left, so that leader lines cross least.
  std::stable_sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) {
    return a.py != b.py ? a.py < b.py : a.px > b.px;
  });
  const double gap = std::min(11.0, (bottom - top) / static_cast<double>(labels.size()));
  for (size_t i = 0; i < labels.size(); ++i) {  // push down past the one above
    labels[i].y = std::max(i ? labels[i - 1].y + gap : top + 4, labels[i].py);
  }
  for (size_t i = labels.size(); i-- > 0;) {  // then up from the bottom edge
    const double limit = i + 1 < labels.size() ? labels[i + 1].y - gap : bottom - 2;
    labels[i].y = std::min(labels[i].y, limit);
  }
  std::string out = "<g class=\"point-labels\">\n";
  const double lx = right + 12;
  for (const Label& l : labels) {
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#999\" "
        "stroke-width=\"0.6\"/><text class=\"point-label\" x=\"{:.1f}\" y=\"{:.1f}\" "
        "font-size=\"9\">{}</text>\n",
        l.px, l.py, lx - 2, l.y, lx, l.y + 3, xml_escape(l.text));
  }
  return out + "</g>\n";
}

}  // namespace

std::string render_svg_chart(const ChartSpec& spec) {
  double x_lo = std::numeric_limits<double>::max(), x_hi = std::numeric_limits<double>::lowest();
  double y_lo = x_lo, y_hi = x_hi;
  for (const ChartSeries& s : spec.series) {
    for (const ChartPoint& p : s.points) {
      if ((spec.log_x && p.x <= 0) || (spec.log_y && p.y <= 0)) continue;
      x_lo = std::min(x_lo, p.x), x_hi = std::max(x_hi, p.x);
      y_lo = std::min(y_lo, p.y), y_hi = std::max(y_hi, p.y);
    }
  }
  if (x_lo > x_hi) x_lo = spec.log_x ? 1 : 0, x_hi = spec.log_x ? 10 : 1;
  if (y_lo > y_hi) y_lo = spec.log_y ? 1 : 0, y_hi = spec.log_y ? 10 : 1;
  double xmin = spec.x_min, xmax = spec.x_max, ymin = spec.y_min, ymax = spec.y_max;
  fit(xmin, xmax, spec.log_x, x_lo, x_hi);
  fit(ymin, ymax, spec.log_y, y_lo, y_hi);
  const double column = spec.label_column ? 150 : 0;  // the point labels' column
  const double left = 70, right = spec.width - 190 - column, top = 40, bottom = spec.height - 55;
  const Axis x{xmin, xmax, spec.log_x, left, right};
  const Axis y{ymin, ymax, spec.log_y, bottom, top};

  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" "
      "font-family=\"sans-serif\" font-size=\"12\" class=\"reuselens-chart\">\n"
      "<title>{2}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{3}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" "
      "font-weight=\"bold\">{2}</text>\n",
      spec.width, spec.height, xml_escape(spec.title), (left + right) / 2);
  out += "<g class=\"grid\" stroke=\"#ddd\">\n";
  for (double t : x.ticks())
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>\n", x.map(t),
                       top, bottom);
  for (double t : y.ticks())
    out += fmt::format("<line x1=\"{1}\" y1=\"{0:.1f}\" x2=\"{2}\" y2=\"{0:.1f}\"/>\n", y.map(t),
                       left, right);
  out += "</g>\n<g class=\"axes\">\n";
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#333\"/>\n", left,
      top, right - left, bottom - top);
  for (double t : x.ticks()) {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x.map(t),
                       bottom + 16, tick_label(t, spec.log_x));
  }
  for (double t : y.ticks()) {
    out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 6,
                       y.map(t) + 4, tick_label(t, spec.log_y));
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     (left + right) / 2, bottom + 38, xml_escape(spec.x_label));
  out += fmt::format(
      "<text transform=\"translate(18 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
      (top + bottom) / 2, xml_escape(spec.y_label));
  out += "</g>\n";
  // Marker labels stack from the bottom of the plot so they never overlap,
  // right-aligned against their line when it sits in the right half.
  for (size_t i = 0; i < spec.markers.size(); ++i) {
    const ChartMarker& m = spec.markers[i];
    if (m.x < xmin || m.x > xmax) continue;
    const double px = x.map(m.x);
    const bool right_half = px > (left + right) / 2;
    out += fmt::format(
        "<g class=\"marker\"><line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" "
        "stroke=\"{3}\" "
        "stroke-dasharray=\"4 3\"/><text x=\"{4:.1f}\" y=\"{5:.1f}\" fill=\"{3}\" "
        "text-anchor=\"{6}\">{7}</text></g>\n",
        px, top, bottom, m.color, right_half ? px - 4 : px + 4,
        bottom - 8 - 15.0 * static_cast<double>(i), right_half ? "end" : "start",
        xml_escape(m.label));
  }
  const auto inside = [&](const ChartPoint& p) {
    return (!spec.log_x || p.x > 0) && (!spec.log_y || p.y > 0) && p.x >= xmin && p.x <= xmax &&
           p.y >= ymin && p.y <= ymax;
  };
  for (size_t i = 0; i < spec.series.size(); ++i) {
    const ChartSeries& s = spec.series[i];
    out += fmt::format("<g class=\"series\" data-name=\"{}\">\n", xml_escape(s.name));
    if (s.line) {
      std::string path;
      for (const ChartPoint& p : s.points) {
        if (!inside(p)) continue;
        path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "" : " ", x.map(p.x), y.map(p.y));
      }
      out += fmt::format(
          "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{} points=\"{}\"/>\n", s.color,
          s.dashed ? " stroke-dasharray=\"6 4\"" : "", path);
    }
    if (s.markers) {
      for (const ChartPoint& p : s.points) {
        if (!inside(p)) continue;
        out += fmt::format(
            "<circle class=\"point\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{:.1f}\" fill=\"{}\" "
            "fill-opacity=\"0.8\" "
            "data-x=\"{:g}\" data-y=\"{:g}\" data-label=\"{}\"><title>{}</title></circle>\n",
            x.map(p.x), y.map(p.y), p.radius, s.color, p.x, p.y, xml_escape(p.label),
            xml_escape(p.label));
        if (!p.text.empty() && !spec.label_column) {
          out += fmt::format(
              "<text class=\"point-label\" x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"9\">{}</text>\n",
              x.map(p.x) + p.radius + 2, y.map(p.y) - 3, xml_escape(p.text));
        }
      }
    }
    out += "</g>\n";
    // Legend entry, right of the plot (and of the label column).
    const double ly = top + 8 + 18.0 * static_cast<double>(i);
    out += fmt::format(
        "<g class=\"legend\"><line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\" "
        "stroke-width=\"{}\"{}/>{}<text x=\"{}\" y=\"{:.1f}\">{}</text></g>\n",
        right + column + 10, ly, right + column + 30, ly, s.color, s.line ? 2 : 0,
        s.dashed ? " stroke-dasharray=\"4 3\"" : "",
        s.markers ? fmt::format("<circle cx=\"{}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>",
                                right + column + 20, ly, s.color)
                  : "",
        right + column + 36, ly + 4, xml_escape(s.name));
  }
  if (spec.label_column) out += label_column(spec, inside, x, y, right, top, bottom);
  out += "</svg>\n";
  return out;
}

std::string render_svg_panels(const std::vector<ChartSpec>& panels) {
  int width = 0, height = 0;
  for (const ChartSpec& p : panels) width += p.width, height = std::max(height, p.height);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" class=\"reuselens-panels\">\n",
      width, height);
  int x = 0;
  for (const ChartSpec& p : panels) {
    std::string chart = render_svg_chart(p);
    // A nested <svg> placed at its column; the chart itself is unchanged.
    chart.replace(0, 4, fmt::format("<svg x=\"{}\"", x));
    out += chart;
    x += p.width;
  }
  return out + "</svg>\n";
}

}  // namespace reuselens::report
