// Printers: the same result records as a console table, CSV or JSON.
//
// Every output names the counting convention, alpha and batch it was made
// with; JSON additionally carries the tool version and every per-layer figure.
#pragma once

#include <string>
#include <vector>

#include "reuselens/correlate.h"
#include "reuselens/dataflow.h"
#include "reuselens/llm.h"
#include "reuselens/mapping.h"
#include "reuselens/measure.h"
#include "reuselens/metrics.h"
#include "reuselens/roofline.h"
#include "reuselens/zoo.h"

namespace reuselens {

enum class Format { kTable, kJson, kCsv };
Format format_by_name(const std::string& name);  // throws kUsage

std::string render_analysis(const Analysis& analysis, Format format);

// One row per network in Table 7's layout plus absolute Mc, W, A.
std::string render_comparison(const std::vector<Analysis>& analyses, Format format);

// Layers, weights and MACs by layer kind (Analysis::by_kind): one model, or
// several side by side as the lecture's scaling table (rows = kinds).
std::string render_kind_breakdown(const Analysis& analysis, Format format);
std::string render_kind_comparison(const std::vector<Analysis>& analyses, Format format);

// Columns `compare --sort` accepts: name, mc, w, a, mc_over_w, mc_over_a,
// ai_c, di, d_f, a_over_w. Numeric columns sort descending.
std::vector<std::string> comparison_columns();
void sort_analyses(std::vector<Analysis>& analyses, const std::string& column);

struct ZooRow {
  const ZooEntry* entry;
  int64_t mc;
  int64_t w;
};
// A built-in language-model config with its parameter count.
struct LlmZooRow {
  const LlmZooEntry* entry;
  LlmConfig config;
  LlmParameters params;
};
std::string render_zoo(const std::vector<ZooRow>& rows, const std::vector<LlmZooRow>& llms,
                       Format format);

// `map`: one mapping's counts per level and tensor; a search's best mappings
// with the DRAM bounds; a network's best mapping per layer; energy per level
// and tensor as stacked bars.
std::string render_mapping(const MappingResult& result, const Mapping& mapping,
                           const Architecture& arch, Format format);
std::string render_search(const SearchResult& search, const Architecture& arch, Format format);
std::string render_network_mapping(const NetworkMapping& network, const Architecture& arch,
                                   Format format);
std::string render_mapping_energy_svg(const std::vector<MappingResult>& results,
                                      const Architecture& arch, const std::string& title);

// A language-model step: parameters, components, KV cache, reuse figures.
std::string render_llm_analysis(const LlmAnalysis& analysis, Format format);
// The step on a machine: per-component roofline, tokens/s, time to first
// token, footprint against device memory.
std::string render_llm_serving(const LlmAnalysis& analysis, const LlmServing& serving,
                               Format format);
// A batch or length sweep, and its chart (intensity against the ridge).
std::string render_llm_sweep(const LlmSweep& sweep, Format format);
std::string render_llm_sweep_svg(const LlmSweep& sweep);

// Correlation of AI_c and DI with measured energy efficiency; `points` adds
// the per-measurement table (always present in JSON).
std::string render_correlation(const CorrelationReport& report, Format format, bool points);

// The alpha sweep as a table, and as an SVG chart (r_p and r_s against alpha
// per device and batch, the chosen alphas marked).
std::string render_sweep(const AlphaSweep& sweep, const CorrelateOptions& options, Format format);
std::string render_sweep_svg(const AlphaSweep& sweep);
// Measured energy efficiency against AI_c and against DI, one panel each, one
// colour per (device, batch), as the paper's scatter plots.
std::string render_correlation_svg(const CorrelationReport& report);

// Roofline placement of every layer and of the network.
std::string render_roofline(const RooflineResult& result, Format format);
// Several networks in one table (one row each; Figure 5's placements).
std::string render_roofline_comparison(const std::vector<RooflineResult>& results, Format format);
// Log-log charts: one network's layers against the machine's roofs; several
// networks placed by AI_c or DI (`metric`), as the paper's Figure 5.
std::string render_layer_roofline_svg(const RooflineResult& result);
std::string render_network_roofline_svg(const std::vector<RooflineResult>& results,
                                        const std::string& metric);
// One self-contained HTML page: summary, charts, per-network layer tables,
// conventions. No external assets.
std::string render_html_report(const std::vector<RooflineResult>& results);

// DRAM traffic bounds, dataflows and energy per conv/FC layer; and sweeps.
// One network, or several one after another (JSON: one document listing
// them under "networks"; CSV: one header, a row per layer of each).
std::string render_dataflow(const std::vector<NetworkDataflow>& results, Format format);
std::string render_dataflow_sweep(const DataflowSweep& sweep, Format format);
std::string render_dataflow_sweep_svg(const DataflowSweep& sweep);

// A measured run: time, energy, power, idle baseline, conditions.
std::string render_measurement(const MeasureResult& result, Format format);

// Bench results in the paper's Table 7 layout (table), records (json), or
// measurement rows (csv, the format `correlate` reads).
struct BenchSuite;
std::string render_bench(const BenchSuite& suite, Format format);

// Hardware descriptions: peak rate per data type, bandwidth per memory level.
std::string render_hardware(const std::vector<Hardware>& machines, Format format);

// The cost registry: every schema with its domain, op, since-version, kind
// and what it counts (docs/ops.md is the Markdown form, ops_markdown()).
std::string render_ops(const OpRegistry& registry, Format format);

std::string render_ranking(const std::vector<RankRow>& rows, double k,
                           const AnalysisOptions& options, Format format);

}  // namespace reuselens
