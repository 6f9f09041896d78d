// Built without libonnx: ONNX files are refused with a clear message.
#include "reuselens/error.h"
#include "reuselens/model.h"

namespace reuselens {

bool onnx_available() { return false; }

Graph import_onnx(const std::string& path, const LoadOptions&) {
  throw_error(ErrorCode::kUsage,
              path +
                  ": this reuselens was built without ONNX support (install libonnx-dev "
                  "and rebuild; scripts/install-deps.sh does)");
}

}  // namespace reuselens

namespace reuselens {
Graph import_onnx_bytes(const std::string&, const std::string& origin, const LoadOptions& options) {
  return import_onnx(origin, options);
}
}  // namespace reuselens
