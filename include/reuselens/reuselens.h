// One-call entry points the CLI (and scripts) use; each stage is also
// available on its own (model.h -> metrics.h -> report.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "reuselens/error.h"
#include "reuselens/graph.h"
#include "reuselens/mapping.h"
#include "reuselens/metrics.h"
#include "reuselens/model.h"
#include "reuselens/options.h"
#include "reuselens/report.h"
#include "reuselens/zoo.h"

namespace reuselens {

// Loads `spec` (zoo:NAME or a .prototxt path) and analyses it.
Analysis analyze_model(const std::string& spec, const LoadOptions& load,
                       const AnalysisOptions& options);

// Analyses every model of `specs` ("zoo:all" expands), sorted by `sort_column`
// ("" keeps the given order).
// `progress` (optional) hears (models done, models in all, the next model).
std::vector<Analysis> compare_models(
    const std::vector<std::string>& specs, const LoadOptions& load, const AnalysisOptions& options,
    const std::string& sort_column,
    const std::function<void(size_t, size_t, const std::string&)>& progress = {});

// Every zoo entry with its Mc and W under the paper convention at batch 1.
std::vector<ZooRow> zoo_summary();
// Every built-in language-model config with its parameters.
std::vector<LlmZooRow> llm_zoo_summary();

}  // namespace reuselens
