// Internal: network figures every analysis path (layer graphs, language
// models) fills the same way.
#pragma once

#include <vector>

#include "reuselens/metrics.h"

namespace reuselens::metrics {

// by_kind from the layers and the network's W and Mc.
void fill_kind_totals(Analysis& result);
// Median and sample variance of the MAC layers' arithmetic intensity.
void fill_layer_statistics(NetworkMetrics& total, const std::vector<double>& mac_layer_ai);

}  // namespace reuselens::metrics
