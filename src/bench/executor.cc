// Loads executor plugins (dlopen) and adapts their C interface to Executor.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "bench/program.h"
#include "reuselens/bench.h"
#include "reuselens/error.h"
#include "reuselens/executor_plugin.h"

namespace reuselens {

namespace {

constexpr const char* kTorchPluginFile = "libreuselens_torch.so";

std::filesystem::path executable_directory() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

std::vector<std::string> plugin_candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("REUSELENS_TORCH_PLUGIN"); env && *env) out.push_back(env);
  const auto dir = executable_directory();
  if (!dir.empty()) {
    out.push_back((dir / kTorchPluginFile).string());
    out.push_back((dir / ".." / "lib" / "reuselens" / kTorchPluginFile).string());
  }
  out.push_back(std::string(REUSELENS_PLUGIN_INSTALL_DIR) + "/" + kTorchPluginFile);
  return out;
}

// A loaded plugin stays loaded for the life of the process: unloading
// LibTorch with its static state and thread pools is not safe.
const reuselens_executor_api* load_plugin(const std::string& requested) {
  const std::vector<std::string> candidates =
      requested.empty() ? plugin_candidates() : std::vector<std::string>{requested};
  std::string tried;
  for (const std::string& path : candidates) {
    if (requested.empty() && !std::filesystem::exists(path)) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      throw_error(ErrorCode::kIo,
                  "executor plugin " + path + " does not load: " + (why ? why : "unknown reason"));
    }
    using Entry = const reuselens_executor_api* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "reuselens_executor_plugin"));
    if (entry == nullptr)
      throw_error(ErrorCode::kIo, path + ": not a reuselens executor plugin (no entry point)");
    const reuselens_executor_api* api = entry();
    if (api == nullptr || api->abi_version != REUSELENS_EXECUTOR_ABI_VERSION) {
      throw_error(ErrorCode::kIo, path + ": executor plugin interface version " +
                                      std::to_string(api ? api->abi_version : -1) +
                                      ", this reuselens needs " +
                                      std::to_string(REUSELENS_EXECUTOR_ABI_VERSION));
    }
    return api;
  }
  throw_error(ErrorCode::kIo,
              "no executor plugin: reuselens was built without LibTorch (install libtorch-dev "
              "and rebuild, or build plugins/torch; docs/bench.md); looked for " +
                  tried);
}

class PluginExecutor : public Executor {
 public:
  PluginExecutor(const reuselens_executor_api* api, reuselens_executor* handle, size_t nodes)
      : api_(api), handle_(handle), nodes_(nodes) {}
  ~PluginExecutor() override { api_->destroy(handle_); }
  PluginExecutor(const PluginExecutor&) = delete;
  PluginExecutor& operator=(const PluginExecutor&) = delete;

  std::string runtime() const override { return api_->runtime(); }
  std::string description() const override { return api_->describe(handle_); }
  std::vector<double> profile(int64_t iterations) override {
    std::vector<double> seconds(nodes_);
    char error[1024] = {0};
    if (api_->profile(handle_, iterations, seconds.data(), seconds.size(), error, sizeof error))
      throw_error(ErrorCode::kIo, std::string("profiling failed: ") + error);
    return seconds;
  }
  void run(int64_t iterations) override {
    char error[1024] = {0};
    if (api_->run(handle_, iterations, error, sizeof error) != 0)
      throw_error(ErrorCode::kIo, std::string("inference failed: ") + error);
  }

 private:
  const reuselens_executor_api* api_;
  reuselens_executor* handle_;
  size_t nodes_;
};

}  // namespace

std::vector<double> Executor::profile(int64_t /*iterations*/) {
  throw_error(ErrorCode::kUsage, runtime() + " cannot time single layers");
}

std::unique_ptr<Executor> open_executor(const Graph& graph, const std::string& device,
                                        const std::string& plugin) {
  const reuselens_executor_api* api = load_plugin(plugin);
  const std::string program = write_program(graph);
  char error[1024] = {0};
  reuselens_executor* handle = api->create(program.c_str(), device.c_str(), error, sizeof error);
  if (handle == nullptr) {
    const std::string why = error;
    // Missing devices are the machine's fault; everything else is the graph's.
    const bool device_problem = why.rfind("device ", 0) == 0;
    throw_error(device_problem ? ErrorCode::kIo : ErrorCode::kInvalidModel,
                graph.name + ": " + why);
  }
  return std::make_unique<PluginExecutor>(api, handle, graph.nodes().size());
}

}  // namespace reuselens
