// JSON records of analysis results, shared by the printers.
#pragma once

#include <nlohmann/json.hpp>

#include "reuselens/metrics.h"

namespace reuselens::report {

nlohmann::json convention_json(const AnalysisOptions& options);
nlohmann::json totals_json(const NetworkMetrics& total);
nlohmann::json layer_json(const LayerMetrics& layer);
// Analysis::by_kind as a list of {kind, layers, weights, macs, flops, shares}.
nlohmann::json kinds_json(const Analysis& analysis);
nlohmann::json analysis_json(const Analysis& analysis, bool with_layers);
// Envelope every JSON document starts with: tool name and version.
nlohmann::json document_header();

}  // namespace reuselens::report
