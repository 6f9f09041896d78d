// The CLI's contract with its user: no option is accepted without effect,
// and every command that prints results prints them in every format.
//
// Options: every option `reuselens COMMAND --help` lists must have a row in
// kOptionCases, and the row is checked: the option changes the output, or
// prints what it is for, or writes its file, or is refused (exit 2) where
// it would have no effect. A new option without a row fails the coverage test.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "test_util.h"

namespace reuselens {
namespace {

using testing::parse_csv;
using testing::read_text;
using testing::run_shell;
using testing::source_path;

enum class Effect {
  kChanges,        // `variant`'s standard output differs from `base`'s
  kPrints,         // `variant` prints text matching the regex `expect`
  kWritesFile,     // `variant` (with {FILE}) writes a non-empty file
  kRefused,        // `variant` exits 2 (a usage error) and names why
  kChangesStderr,  // `variant`'s standard error differs from `base`'s
};

struct OptionCase {
  const char* command;
  const char* option;
  const char* base;     // arguments after the command
  const char* variant;  // the same with the option
  Effect effect;
  const char* expect = "";  // kPrints: a regex; kRefused: part of the message
};

void PrintTo(const OptionCase& c, std::ostream* os) {
  *os << c.command << " " << c.option << ": " << c.variant;
}

constexpr const char* kSqueeze = "zoo:squeezenet11";
constexpr const char* kTrace = "replay:tests/data/measure/constant_40w.csv";

// Bench runs are short but real (LibTorch); they are checked where the
// plugin was built.
#define BENCH_MODEL "zoo:squeezenet11 --quiet"
#define BENCH_SHORT "--repeats 2 --min-repeat 0.1"
#define BENCH_WARM "--warmup-min 0 --warmup-max 1"
#define BENCH_BASE BENCH_MODEL " " BENCH_SHORT " " BENCH_WARM
#define MEASURE_BASE "--meter replay:tests/data/measure/constant_40w.csv --idle 0.1"
#define LAYER "--layer p=8,q=4,n=9,r=3,pad=1"

#define IF_MODEL "tests/data/onnx/formats/if_sample_rate.onnx"
#define LOOP_MODEL "tests/data/onnx/formats/loop_counter.onnx"
// --value and --trip-count decide control flow in every command that loads models.
#define CONTROL_FLOW_CASES(command)                                                      \
  {command, "--value", IF_MODEL, IF_MODEL " --value sr=8000", Effect::kChanges},         \
      {command, "--trip-count", LOOP_MODEL " --trip-count unroll=2",                     \
       LOOP_MODEL " --trip-count unroll=5", Effect::kChanges},                           \
  {                                                                                      \
    command, "--trip-count", "", LOOP_MODEL " --trip-count 0x", Effect::kRefused, "N>=1" \
  }

#define LLM "zoo:llama-3.2-1b"
#define LLM_DECODE LLM " --phase decode"
// The language-model step options: each changes a config's figures and is
// refused for a layer graph.
#define LLM_CASES(command)                                                                         \
  {command, "--phase", LLM, LLM_DECODE, Effect::kChanges},                                         \
      {command, "--prompt", LLM, LLM " --prompt 64", Effect::kChanges},                            \
      {command, "--context", LLM_DECODE, LLM_DECODE " --context 4096", Effect::kChanges},          \
      {command, "--attention", LLM, LLM " --attention dense", Effect::kChanges},                   \
      {command, "--logits", LLM, LLM " --logits all", Effect::kChanges},                           \
      {command, "--kv-type", LLM_DECODE, LLM_DECODE " --kv-type fp8", Effect::kChanges},           \
      {command, "--group-size", LLM " --weight-type int4",                                         \
       LLM " --weight-type int4 --group-size 32", Effect::kChanges},                               \
      {command,                                                                                    \
       "--phase",                                                                                  \
       "",                                                                                         \
       "zoo:alexnet --phase decode",                                                               \
       Effect::kRefused,                                                                           \
       "language-model configs"},                                                                  \
  {                                                                                                \
    command, "--prompt", "", LLM_DECODE " --prompt 64", Effect::kRefused, "decode takes --context" \
  }

#define MAP_LAYER "--layer K=16,C=8,P=8,Q=8,R=3,S=3"
#define MAP_BASE MAP_LAYER " --search --budget 2000"
#define MAP_FILE MAP_LAYER " --arch dram-buffer --mapping tests/data/mapping/small_os.json"
#define MAP_NET "zoo:alexnet --search --budget 500"

const OptionCase kOptionCases[] = {
    // --shard: slices of a sweep for array jobs
    {"compare", "--shard", "zoo:alexnet zoo:nin zoo:vgg16",
     "zoo:alexnet zoo:nin zoo:vgg16 --shard 1/2", Effect::kChanges},
    {"compare", "--shard", "", "zoo:alexnet --shard 2/2", Effect::kRefused, "0 <= I < N"},
    {"roofline", "--shard", "zoo:alexnet zoo:nin --hw v100",
     "zoo:alexnet zoo:nin --hw v100 --shard 0/2", Effect::kChanges},
    {"roofline", "--shard", LLM_DECODE " --hw h100-sxm --sweep batch=1:64:x2",
     LLM_DECODE " --hw h100-sxm --sweep batch=1:64:x2 --shard 1/3", Effect::kChanges},
    {"dataflow", "--shard", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --shard 1/2",
     Effect::kChanges},
    {"dataflow", "--shard", "", LAYER " --shard 0/2", Effect::kRefused, "slices the models"},
    {"bench", "--shard", "", BENCH_BASE " --shard x", Effect::kRefused, "expected I/N"},
    // --quiet: no progress bar
    {"compare", "--quiet", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --quiet",
     Effect::kChangesStderr},
    {"roofline", "--quiet", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --quiet",
     Effect::kChangesStderr},
    {"report", "--quiet", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --quiet",
     Effect::kChangesStderr},
    {"dataflow", "--quiet", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --quiet",
     Effect::kChangesStderr},
    {"map", "--quiet", MAP_NET, MAP_NET " --quiet", Effect::kChangesStderr},
    // map
    {"map", "--layer", MAP_BASE, "--layer K=32,C=8,P=8,Q=8,R=3,S=3 --search --budget 2000",
     Effect::kChanges},
    {"map", "--only", "zoo:alexnet --only conv3 --search --budget 500",
     "zoo:alexnet --only conv4 --search --budget 500", Effect::kChanges},
    {"map", "--only", "", MAP_LAYER " --only conv1 --search", Effect::kRefused, "--only picks"},
    {"map", "--arch", MAP_BASE, MAP_BASE " --arch simba-like", Effect::kChanges},
    {"map", "--arch", "", MAP_BASE " --arch nosuch", Effect::kRefused, "no architecture preset"},
    {"map", "--mapping", "", MAP_FILE, Effect::kPrints, "Buffer +Weights"},
    {"map", "--mapping", "", "zoo:alexnet --arch dram-buffer --mapping x.json", Effect::kRefused,
     "one layer"},
    {"map", "--search", "", MAP_BASE, Effect::kPrints, "mappings evaluated"},
    {"map", "--search", "", MAP_LAYER, Effect::kRefused, "--mapping FILE"},
    {"map", "--objective", MAP_BASE, MAP_BASE " --objective dram", Effect::kChanges},
    {"map", "--objective", "", MAP_FILE " --objective dram", Effect::kRefused, "steer --search"},
    {"map", "--top", MAP_BASE, MAP_BASE " --top 1", Effect::kChanges},
    {"map", "--budget", MAP_BASE, MAP_LAYER " --search --budget 10", Effect::kChanges},
    {"map", "--threads", "", MAP_NET " --threads 1", Effect::kPrints, "8 shapes searched"},
    {"map", "--reuse-convention", MAP_FILE, MAP_FILE " --reuse-convention exact", Effect::kChanges},
    {"map", "--simulate", MAP_FILE, MAP_FILE " --simulate", Effect::kChanges},
    {"map", "--simulate", "", MAP_BASE " --simulate", Effect::kRefused, "--mapping"},
    {"map", "--svg", "", MAP_BASE " --svg {FILE}", Effect::kWritesFile},
    {"map", "--batch", "zoo:alexnet --only conv3 --search --budget 500",
     "zoo:alexnet --only conv3 --search --budget 500 --batch 2", Effect::kChanges},
    {"map", "--input", "zoo:alexnet --only conv1 --search --budget 500",
     "zoo:alexnet --only conv1 --search --budget 500 --input 3x256x256", Effect::kChanges},
    {"map", "--dim", "", "zoo:alexnet --search --dim seq=4", Effect::kRefused, "named dims"},
    {"map", "--value", "tests/data/onnx/formats/if_sample_rate.onnx --search --budget 100",
     "tests/data/onnx/formats/if_sample_rate.onnx --search --budget 100 --value sr=8000",
     Effect::kChanges},
    {"map", "--trip-count", LOOP_MODEL " --search --budget 100 --trip-count unroll=2",
     LOOP_MODEL " --search --budget 100 --trip-count unroll=5", Effect::kChanges},
    {"map", "--format", MAP_FILE, MAP_FILE " --format json", Effect::kChanges},
    {"map", "-o,--output", "", MAP_FILE " -o {FILE}", Effect::kWritesFile},
    LLM_CASES("analyze"),
    LLM_CASES("compare"),
    LLM_CASES("roofline"),
    LLM_CASES("report"),
    {"roofline", "--sweep", LLM_DECODE, LLM_DECODE " --sweep batch=1:64:x4", Effect::kChanges},
    {"roofline", "--sweep", "", "zoo:alexnet --sweep batch=1:64:x4", Effect::kRefused,
     "one language-model config"},
    CONTROL_FLOW_CASES("analyze"),
    CONTROL_FLOW_CASES("compare"),
    CONTROL_FLOW_CASES("rank"),
    CONTROL_FLOW_CASES("roofline"),
    CONTROL_FLOW_CASES("report"),
    // analyze
    {"analyze", "--convention", kSqueeze, "zoo:squeezenet11 --convention conv-fc",
     Effect::kChanges},
    {"analyze", "--alpha", kSqueeze, "zoo:squeezenet11 --alpha 0.5", Effect::kChanges},
    {"analyze", "--batch", kSqueeze, "zoo:squeezenet11 --batch 2", Effect::kChanges},
    {"analyze", "--input", kSqueeze, "zoo:squeezenet11 --input 3x128x128", Effect::kChanges},
    {"analyze", "--dim", "tests/data/onnx/resnet18.onnx",
     "tests/data/onnx/resnet18.onnx --dim batch=2", Effect::kChanges},
    {"analyze", "--dtype", kSqueeze, "zoo:squeezenet11 --dtype fp16", Effect::kChanges},
    {"analyze", "--weight-type", kSqueeze, "zoo:squeezenet11 --weight-type int4", Effect::kChanges},
    {"analyze", "--act-type", kSqueeze, "zoo:squeezenet11 --act-type int8", Effect::kChanges},
    {"analyze", "--weight-bits", kSqueeze, "zoo:squeezenet11 --weight-bits 8", Effect::kChanges},
    {"analyze", "--act-bits", kSqueeze, "zoo:squeezenet11 --act-bits 16", Effect::kChanges},
    {"analyze", "--format", kSqueeze, "zoo:squeezenet11 --format json", Effect::kChanges},
    {"analyze", "--by-kind", kSqueeze, "zoo:squeezenet11 --by-kind", Effect::kChanges},
    {"analyze", "-o,--output", "", "zoo:squeezenet11 -o {FILE}", Effect::kWritesFile},
    {"analyze", "--dim", "", "zoo:alexnet --dim seq=4", Effect::kRefused, "named dims: none"},
    // compare
    {"compare", "--sort", "zoo:nin zoo:alexnet", "zoo:nin zoo:alexnet --sort di", Effect::kChanges},
    {"compare", "--by-kind", "zoo:nin zoo:alexnet", "zoo:nin zoo:alexnet --by-kind",
     Effect::kChanges},
    {"compare", "--convention", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --convention memory",
     Effect::kChanges},
    {"compare", "--alpha", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --alpha 0.3",
     Effect::kChanges},
    {"compare", "--batch", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --batch 4",
     Effect::kChanges},
    {"compare", "--input", "zoo:alexnet tests/data/onnx/squeezenet1_1.onnx",
     "zoo:alexnet tests/data/onnx/squeezenet1_1.onnx --input 3x160x160", Effect::kPrints,
     "squeezenet1_1 +1x3x160x160"},
    {"compare", "--dim", "tests/data/onnx/resnet18.onnx zoo:nin",
     "tests/data/onnx/resnet18.onnx --dim batch=3", Effect::kChanges},
    {"compare", "--dtype", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --dtype int8",
     Effect::kChanges},
    {"compare", "--weight-type", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --weight-type int4",
     Effect::kChanges},
    {"compare", "--act-type", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --act-type fp16",
     Effect::kChanges},
    {"compare", "--weight-bits", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --weight-bits 8",
     Effect::kChanges},
    {"compare", "--act-bits", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --act-bits 8",
     Effect::kChanges},
    {"compare", "--format", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --format csv",
     Effect::kChanges},
    {"compare", "-o,--output", "", "zoo:alexnet -o {FILE}", Effect::kWritesFile},
    // rank
    {"rank", "--k", "zoo:alexnet zoo:vgg16", "zoo:alexnet zoo:vgg16 --k 1", Effect::kChanges},
    {"rank", "--convention", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --convention conv-fc",
     Effect::kChanges},
    {"rank", "--alpha", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --alpha 0.2", Effect::kChanges},
    {"rank", "--batch", "zoo:alexnet zoo:nin", "zoo:alexnet zoo:nin --batch 8", Effect::kChanges},
    {"rank", "--input", "zoo:alexnet zoo:vgg16", "zoo:alexnet zoo:vgg16 --input 3x128x128",
     Effect::kChanges},
    {"rank", "--dim", "", "zoo:alexnet --dim seq=4", Effect::kRefused, "named dims"},
    {"rank", "--format", "zoo:alexnet", "zoo:alexnet --format json", Effect::kChanges},
    {"rank", "-o,--output", "", "zoo:alexnet -o {FILE}", Effect::kWritesFile},
    {"rank", "--dtype", "", "zoo:alexnet --dtype int8", Effect::kRefused, "--dtype"},
    // zoo, ops, hw
    {"zoo", "--format", "", "--format csv", Effect::kChanges},
    {"zoo", "-o,--output", "", "-o {FILE}", Effect::kWritesFile},
    {"ops", "--format", "", "--format markdown", Effect::kChanges},
    {"ops", "-o,--output", "", "-o {FILE}", Effect::kWritesFile},
    {"ops", "--markdown", "", "--markdown", Effect::kChanges},
    {"hw", "--format", "", "--format json", Effect::kChanges},
    {"hw", "-o,--output", "", "-o {FILE}", Effect::kWritesFile},
    // correlate
    {"correlate", "--measurements", "--measurements paper",
     "--measurements tests/data/measure/five_networks.csv", Effect::kChanges},
    {"correlate", "--models", "--measurements paper",
     "--measurements paper --models zoo:alexnet zoo:vgg16 zoo:nin zoo:googlenet", Effect::kChanges},
    {"correlate", "--above-idle", "--measurements tests/data/measure/five_networks.csv",
     "--measurements tests/data/measure/five_networks.csv --above-idle", Effect::kChanges},
    {"correlate", "--mc-digits", "--measurements paper", "--measurements paper --mc-digits 1",
     Effect::kChanges},
    {"correlate", "--paper-z", "--measurements paper --format json",
     "--measurements paper --format json --paper-z", Effect::kChanges},
    {"correlate", "--convention", "--measurements paper",
     "--measurements paper --convention conv-fc", Effect::kChanges},
    {"correlate", "--alpha", "--measurements paper", "--measurements paper --alpha 0.4",
     Effect::kChanges},
    {"correlate", "--points", "--measurements paper", "--measurements paper --points",
     Effect::kChanges},
    {"correlate", "--svg", "", "--measurements paper --svg {FILE}", Effect::kWritesFile},
    {"correlate", "--format", "--measurements paper", "--measurements paper --format csv",
     Effect::kChanges},
    {"correlate", "-o,--output", "", "--measurements paper -o {FILE}", Effect::kWritesFile},
    // calibrate
    {"calibrate", "--measurements", "--measurements paper",
     "--measurements tests/data/measure/five_networks.csv", Effect::kChanges},
    {"calibrate", "--models", "--measurements paper",
     "--measurements paper --models zoo:alexnet zoo:vgg16 zoo:nin zoo:googlenet", Effect::kChanges},
    {"calibrate", "--above-idle", "--measurements tests/data/measure/five_networks.csv",
     "--measurements tests/data/measure/five_networks.csv --above-idle", Effect::kChanges},
    {"calibrate", "--mc-digits", "--measurements paper", "--measurements paper --mc-digits 1",
     Effect::kChanges},
    {"calibrate", "--convention", "--measurements paper",
     "--measurements paper --convention conv-fc", Effect::kChanges},
    {"calibrate", "--from", "--measurements paper", "--measurements paper --from 0.5",
     Effect::kChanges},
    {"calibrate", "--to", "--measurements paper", "--measurements paper --to 0.5",
     Effect::kChanges},
    {"calibrate", "--step", "--measurements paper", "--measurements paper --step 0.25",
     Effect::kChanges},
    {"calibrate", "--svg", "", "--measurements paper --svg {FILE}", Effect::kWritesFile},
    {"calibrate", "--format", "--measurements paper", "--measurements paper --format json",
     Effect::kChanges},
    {"calibrate", "-o,--output", "", "--measurements paper -o {FILE}", Effect::kWritesFile},
    {"calibrate", "--alpha", "", "--measurements paper --alpha 0.5", Effect::kRefused, "--alpha"},
    {"calibrate", "--paper-z", "", "--measurements paper --paper-z", Effect::kRefused, "--paper-z"},
    // roofline
    {"roofline", "--hw", kSqueeze, "zoo:squeezenet11 --hw v100", Effect::kChanges},
    {"roofline", "--dtype", "zoo:squeezenet11 --hw v100", "zoo:squeezenet11 --hw v100 --dtype fp16",
     Effect::kChanges},
    {"roofline", "--weight-type", kSqueeze, "zoo:squeezenet11 --weight-type int8",
     Effect::kChanges},
    {"roofline", "--act-type", kSqueeze, "zoo:squeezenet11 --act-type fp16", Effect::kChanges},
    {"roofline", "--level", kSqueeze, "zoo:squeezenet11 --level l2", Effect::kChanges},
    {"roofline", "--convention", kSqueeze, "zoo:squeezenet11 --convention conv-fc",
     Effect::kChanges},
    {"roofline", "--alpha", kSqueeze, "zoo:squeezenet11 --alpha 0.5", Effect::kChanges},
    {"roofline", "--batch", kSqueeze, "zoo:squeezenet11 --batch 8", Effect::kChanges},
    {"roofline", "--input", kSqueeze, "zoo:squeezenet11 --input 3x96x96", Effect::kChanges},
    {"roofline", "--dim", "", "zoo:squeezenet11 --dim seq=2", Effect::kRefused, "named dims"},
    {"roofline", "--svg", "", "zoo:squeezenet11 --svg {FILE}", Effect::kWritesFile},
    {"roofline", "--metric", "", "zoo:alexnet zoo:nin --svg {FILE} --metric di",
     Effect::kWritesFile},
    {"roofline", "--metric", "", "zoo:alexnet zoo:nin --metric di", Effect::kRefused, "--svg"},
    {"roofline", "--format", kSqueeze, "zoo:squeezenet11 --format csv", Effect::kChanges},
    {"roofline", "-o,--output", "", "zoo:squeezenet11 -o {FILE}", Effect::kWritesFile},
    // report
    {"report", "--hw", kSqueeze, "zoo:squeezenet11 --hw v100", Effect::kChanges},
    {"report", "--dtype", "zoo:squeezenet11 --hw v100", "zoo:squeezenet11 --hw v100 --dtype fp16",
     Effect::kChanges},
    {"report", "--weight-type", kSqueeze, "zoo:squeezenet11 --weight-type int8", Effect::kChanges},
    {"report", "--act-type", kSqueeze, "zoo:squeezenet11 --act-type fp16", Effect::kChanges},
    {"report", "--level", kSqueeze, "zoo:squeezenet11 --level l2", Effect::kChanges},
    {"report", "--convention", kSqueeze, "zoo:squeezenet11 --convention conv-fc", Effect::kChanges},
    {"report", "--alpha", kSqueeze, "zoo:squeezenet11 --alpha 0.5", Effect::kChanges},
    {"report", "--batch", kSqueeze, "zoo:squeezenet11 --batch 8", Effect::kChanges},
    {"report", "--input", kSqueeze, "zoo:squeezenet11 --input 3x96x96", Effect::kChanges},
    {"report", "--dim", "", "zoo:squeezenet11 --dim seq=2", Effect::kRefused, "named dims"},
    {"report", "--format", "", "zoo:squeezenet11 --format json", Effect::kRefused, "html"},
    {"report", "-o,--output", "", "zoo:squeezenet11 -o {FILE}", Effect::kWritesFile},
    // dataflow
    {"dataflow", "--layer", LAYER, "--layer p=8,q=4,n=9,r=1,s=2", Effect::kChanges},
    {"dataflow", "--buffer", LAYER, LAYER " --buffer 64B", Effect::kChanges},
    {"dataflow", "--dtype", LAYER, LAYER " --dtype int8", Effect::kChanges},
    {"dataflow", "--bits", LAYER, LAYER " --bits 32", Effect::kChanges},
    {"dataflow", "--mac", LAYER " --dtype fp32", LAYER " --dtype fp32 --mac int", Effect::kChanges},
    {"dataflow", "--energy", LAYER, LAYER " --energy tests/data/energy/doubled_dram.json",
     Effect::kChanges},
    {"dataflow", "--simulate", LAYER, LAYER " --simulate", Effect::kChanges},
    {"dataflow", "--lru", LAYER " --simulate", LAYER " --simulate --lru", Effect::kChanges},
    {"dataflow", "--lru", "", LAYER " --lru", Effect::kRefused, "--simulate"},
    {"dataflow", "--sweep", LAYER, LAYER " --sweep p=4:32:x2", Effect::kChanges},
    {"dataflow", "--svg", "", LAYER " --sweep p=4:32:x2 --svg {FILE}", Effect::kWritesFile},
    {"dataflow", "--svg", "", LAYER " --svg {FILE}", Effect::kRefused, "--sweep"},
    {"dataflow", "--input", kSqueeze, "zoo:squeezenet11 --input 3x96x96", Effect::kChanges},
    {"dataflow", "--dim", "", "zoo:squeezenet11 --dim seq=2", Effect::kRefused, "named dims"},
    {"dataflow", "--format", LAYER, LAYER " --format csv", Effect::kChanges},
    {"dataflow", "-o,--output", "", LAYER " -o {FILE}", Effect::kWritesFile},
    // measure
    {"measure", "--meter", "", MEASURE_BASE " -- true", Effect::kPrints,
     "meter: replay:tests/data/measure/constant_40w.csv"},
    {"measure", "--period", "", MEASURE_BASE " --period 0.05 -- sleep 0.3", Effect::kPrints,
     "samples +[0-9]+ +at ([12][0-9]|30)\\.[0-9] Hz"},
    {"measure", "--idle", "",
     "--meter replay:tests/data/measure/constant_40w.csv --idle 0.3 -- true", Effect::kPrints,
     "over 0\\.3[0-9] s before the run"},
    {"measure", "--append", "",
     MEASURE_BASE " --append {FILE} --model zoo:alexnet --label box -- true", Effect::kWritesFile},
    {"measure", "--model", "", MEASURE_BASE " --model zoo:alexnet -- true", Effect::kRefused,
     "--append"},
    {"measure", "--label", "", MEASURE_BASE " --label box -- true", Effect::kRefused, "--append"},
    {"measure", "--device", "", MEASURE_BASE " --device box -- true", Effect::kRefused, "--append"},
    {"measure", "--batch", "", MEASURE_BASE " --batch 4 -- true", Effect::kRefused, "--append"},
    {"measure", "--iterations", "", MEASURE_BASE " --iterations 4 -- true", Effect::kRefused,
     "--append"},
    {"measure", "--append", "", MEASURE_BASE " --append {FILE} -- true", Effect::kRefused,
     "--model and --label"},
    {"measure", "--format", "", MEASURE_BASE " --format csv -- true", Effect::kPrints,
     "^meter,complete,wall_s"},
    {"measure", "-o,--output", "", MEASURE_BASE " -o {FILE} -- true", Effect::kWritesFile},
    // bench
    {"bench", "--batch", "", BENCH_BASE " --batch 2", Effect::kPrints, "b2 I_t ms"},
    {"bench", "--device", "", BENCH_BASE " --device tpu", Effect::kRefused, "cpu, cuda or cuda:N"},
    {"bench", "--meter", "",
     BENCH_BASE " --meter "
                "replay:tests/data/measure/constant_40w.csv --idle 0.1",
     Effect::kPrints, "meter: replay:"},
    {"bench", "--label", "", BENCH_BASE " --label box", Effect::kPrints, "device: box"},
    {"bench", "--append", "",
     BENCH_BASE " --meter replay:tests/data/measure/constant_40w.csv --idle 0.1 --append {FILE}",
     Effect::kWritesFile},
    {"bench", "--no-resume", "", BENCH_BASE " --no-resume", Effect::kRefused, "--append"},
    {"bench", "--repeats", "", BENCH_MODEL " " BENCH_WARM " --min-repeat 0.1 --repeats 3",
     Effect::kPrints, "3 repeat\\(s\\)"},
    {"bench", "--iterations", "", BENCH_BASE " --iterations 2 --format json", Effect::kPrints,
     "\"iterations\": 2,"},
    {"bench", "--min-repeat", "",
     BENCH_MODEL " " BENCH_WARM " --repeats 2 --min-repeat 1 --format json", Effect::kPrints,
     "\"wall_s\": 0\\.[5-9]|\"wall_s\": [1-9]"},  // N is sized from the warm-up's times
    {"bench", "--idle", "", BENCH_BASE " --idle 1", Effect::kRefused, "no meter"},
    {"bench", "--period", "", BENCH_BASE " --period 0.1", Effect::kRefused, "no meter"},
    {"bench", "--stability-window", "", BENCH_BASE " --stability-window 2", Effect::kRefused,
     "no meter"},
    {"bench", "--warmup-min", "", BENCH_MODEL " " BENCH_SHORT " --warmup-min 0.6 --format json",
     Effect::kPrints, "\"seconds\": 0\\.[6-9]|\"seconds\": [1-9]"},
    {"bench", "--warmup-max", "",
     BENCH_MODEL " " BENCH_SHORT
                 " --warmup-min 0 --warmup-max 0.05 --tolerance 0.000001 --format json",
     Effect::kPrints, "\"stable\": false"},
    {"bench", "--tolerance", "",
     BENCH_MODEL " " BENCH_SHORT
                 " --warmup-min 0 --tolerance 0.000001 --warmup-max 0.3 --format json",
     Effect::kPrints, "\"stable\": false"},
    {"bench", "--confidence", "", BENCH_BASE " --confidence 0.99", Effect::kPrints,
     "99 % t interval"},
    {"bench", "--level", "", BENCH_BASE " --level 0.9", Effect::kPrints, "90 % t interval"},
    {"bench", "--layers", "", BENCH_BASE " --layers 1", Effect::kPrints, "slowest"},
    {"bench", "--hw", "", BENCH_BASE " --layers 1 --hw p100", Effect::kPrints, "bound"},
    {"bench", "--hw", "", BENCH_BASE " --hw p100", Effect::kRefused, "--layers"},
    {"bench", "--plugin", "", BENCH_BASE " --plugin /nonexistent/plugin.so", Effect::kPrints, ""},
    {"bench", "--convention", "", BENCH_BASE " --convention conv-fc", Effect::kPrints,
     "convention: 'conv-fc'"},
    {"bench", "--input", "", BENCH_BASE " --input 3x128x128 --format json", Effect::kPrints,
     "\"pixels_per_image\": 16384"},
    {"bench", "--dim", "", BENCH_BASE " --dim seq=2", Effect::kRefused, "named dims"},
    {"bench", "--quiet",
     "zoo:squeezenet11 --repeats 2 --min-repeat 0.1 --warmup-min 0 --warmup-max 1", BENCH_BASE,
     Effect::kChangesStderr},
    {"bench", "--format", "", BENCH_BASE " --format csv", Effect::kPrints, "^model,device,batch"},
    {"bench", "-o,--output", "", BENCH_BASE " -o {FILE}", Effect::kWritesFile},
};

bool torch_plugin_built() { return std::string(REUSELENS_TEST_TORCH_PLUGIN) != ""; }

std::string scratch_file(const std::string& name) {
  const std::string path = ::testing::TempDir() + "/contract_" + name;
  std::filesystem::remove(path);
  return path;
}

testing::CommandResult run_in_source(const std::string& command, const std::string& args) {
  return run_shell(std::string(REUSELENS_CLI) + " " + command + " " + args, source_path(""));
}

class OptionContract : public ::testing::TestWithParam<OptionCase> {};

TEST_P(OptionContract, TakesEffectOrIsRefused) {
  const OptionCase& c = GetParam();
  // The progress bar is drawn on terminals only; these rows force it so that
  // --quiet has something to take away.
  if (std::string(c.option) == "--quiet") setenv("REUSELENS_PROGRESS", "always", 1);
  if (std::string(c.command) == "bench" && !torch_plugin_built())
    GTEST_SKIP() << "bench runs need the LibTorch plugin";
  std::string variant = c.variant;
  const std::string file =
      scratch_file(std::string(c.command) + std::to_string(std::hash<std::string>{}(variant)));
  const size_t slot = variant.find("{FILE}");
  if (slot != std::string::npos) variant.replace(slot, 6, file);
  const auto v = run_in_source(c.command, variant);
  switch (c.effect) {
    case Effect::kRefused:
      EXPECT_EQ(v.exit_code, 2) << v.err;
      EXPECT_NE(v.err.find(c.expect), std::string::npos) << v.err;
      // One error line (a deprecated spelling may add a warning line before it).
      EXPECT_EQ(std::regex_search(v.err, std::regex("\n.*reuselens: error:")) ? 2 : 1,
                std::count(v.err.begin(), v.err.end(), '\n'))
          << v.err;
      EXPECT_EQ(v.err.find("reuselens: error: "), v.err.rfind("reuselens: error: ")) << v.err;
      EXPECT_TRUE(v.out.empty()) << v.out;
      return;
    case Effect::kWritesFile:
      ASSERT_EQ(v.exit_code, 0) << v.err;
      EXPECT_TRUE(std::filesystem::exists(file) && std::filesystem::file_size(file) > 0) << file;
      return;
    case Effect::kPrints:
      if (std::string(c.option) == "--plugin") {  // a missing plugin: an IoError naming it
        EXPECT_EQ(v.exit_code, 3) << v.err;
        EXPECT_NE(v.err.find("/nonexistent/plugin.so"), std::string::npos) << v.err;
        return;
      }
      ASSERT_EQ(v.exit_code, 0) << v.err;
      EXPECT_TRUE(std::regex_search(v.out, std::regex(c.expect, std::regex::multiline)))
          << "expected /" << c.expect << "/ in:\n"
          << v.out;
      return;
    case Effect::kChanges:
    case Effect::kChangesStderr: {
      const auto b = run_in_source(c.command, c.base);
      ASSERT_EQ(b.exit_code, 0) << b.err;
      ASSERT_EQ(v.exit_code, 0) << v.err;
      if (c.effect == Effect::kChanges) {
        EXPECT_NE(b.out, v.out) << c.option << " changed nothing";
      } else {
        EXPECT_NE(b.err, v.err) << c.option << " changed nothing on standard error";
      }
      return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cli, OptionContract, ::testing::ValuesIn(kOptionCases));

// Every option a command's --help lists has a row above.
TEST(OptionContractCoverage, EveryListedOptionHasACase) {
  std::set<std::pair<std::string, std::string>> covered;
  for (const OptionCase& c : kOptionCases) covered.insert({c.command, c.option});
  // Every subcommand `reuselens --help` lists is one of these.
  const std::vector<std::string> commands = {
      "analyze",   "compare",  "rank",   "zoo",      "ops",     "hw",    "correlate",
      "calibrate", "roofline", "report", "dataflow", "measure", "bench", "map"};
  const auto top = run_in_source("", "--help");
  const std::regex subcommand("^\\s{2}([a-z]+)\\s", std::regex::multiline);
  const size_t section = top.out.find("Subcommands:");
  ASSERT_NE(section, std::string::npos) << top.out;
  const std::string listing = top.out.substr(section);
  for (std::sregex_iterator it(listing.begin(), listing.end(), subcommand), end; it != end; ++it) {
    EXPECT_NE(std::find(commands.begin(), commands.end(), (*it)[1].str()), commands.end())
        << "reuselens " << (*it)[1] << " has no rows in kOptionCases";
  }
  for (const std::string& command : commands) {
    const auto help = run_in_source(command, "--help");
    ASSERT_EQ(help.exit_code, 0) << help.err;
    const std::regex option_line("^\\s+((-[a-z],)?--[a-z0-9-]+)", std::regex::multiline);
    int listed = 0;
    for (std::sregex_iterator it(help.out.begin(), help.out.end(), option_line), end; it != end;
         ++it) {
      const std::string option = (*it)[1];
      if (option == "-h,--help") continue;
      ++listed;
      EXPECT_TRUE(covered.count({command, option}))
          << "reuselens " << command << " " << option << " has no row in kOptionCases";
    }
    EXPECT_GT(listed, 0) << command;
  }
}

// Every command that prints results, in every format, to standard output
// and to a file: JSON parses, CSV is rectangular RFC 4180 with no comment
// lines and no shortened numbers, and -o writes what standard output shows.
struct FormatCase {
  const char* command;
  const char* args;
  bool deterministic;
};

class FormatMatrix : public ::testing::TestWithParam<std::tuple<FormatCase, const char*, bool>> {};

TEST_P(FormatMatrix, EveryFormatToStdoutAndFile) {
  const auto& [c, format, to_file] = GetParam();
  const std::string sub = c.command;
  if (sub == "bench" && !torch_plugin_built()) GTEST_SKIP() << "no plugin";
  // Options go before " -- " (measure's workload follows it).
  const auto with = [&c](const std::string& options) {
    std::string args = c.args;
    const size_t dashes = args.find(" -- ");
    args.insert(dashes == std::string::npos ? args.size() : dashes, options);
    return args;
  };
  // One file per case: ctest runs the cases in parallel processes.
  std::string case_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(case_name.begin(), case_name.end(), '/', '_');
  const std::string file = scratch_file(case_name + ".out");
  const std::string plain = with(std::string(" --format ") + format);
  const std::string args =
      with(std::string(" --format ") + format + (to_file ? " -o " + file : ""));
  const auto r = run_in_source(sub, args);
  ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  std::string text = r.out;
  if (to_file) {
    EXPECT_TRUE(r.out.empty()) << "-o prints nothing: " << r.out;
    text = read_text(file);
    if (c.deterministic) {
      EXPECT_EQ(text, run_in_source(sub, plain).out) << "-o writes what standard output shows";
    }
  }
  ASSERT_FALSE(text.empty());
  if (std::string(format) == "json") {
    const auto doc = nlohmann::json::parse(text);
    EXPECT_EQ(doc["tool"], "reuselens");
  } else if (std::string(format) == "csv") {
    EXPECT_NE(text[0], '#');
    EXPECT_EQ(text.find("\n#"), std::string::npos) << "no comment lines";
    const auto records = parse_csv(text);
    ASSERT_GE(records.size(), 2u) << text;
    for (const auto& record : records) {
      EXPECT_EQ(record.size(), records[0].size()) << "ragged CSV:\n" << text;
      for (const std::string& field : record) {
        // printf's %g signature: six significant digits in exponent form. A
        // shortest round-trip value such as 5.5e-05 is whole and allowed.
        EXPECT_FALSE(std::regex_match(field, std::regex("-?[0-9]\\.[0-9]{5}e[+-][0-9]+")))
            << "shortened number " << field;
      }
    }
  }
}

const FormatCase kFormatCases[] = {
    {"analyze", "zoo:squeezenet11", true},
    {"compare", "zoo:alexnet tests/data/onnx/squeezenet1_1.onnx", true},
    {"rank", "zoo:alexnet zoo:nin", true},
    {"zoo", "", true},
    {"ops", "", true},
    {"hw", "p100 h200", true},
    {"correlate", "--measurements paper", true},
    {"calibrate", "--measurements paper --step 0.1", true},
    {"roofline", "zoo:squeezenet11 --hw p100", true},
    {"roofline", "zoo:alexnet zoo:nin --hw p100", true},
    {"dataflow", "zoo:squeezenet11 zoo:alexnet", true},
    {"dataflow", "--layer p=8,q=4,n=9,r=3 --sweep n=8:32:+8", true},
    {"measure", MEASURE_BASE " -- true", false},
    {"bench", BENCH_BASE, false},
    {"map", MAP_FILE, true},
    {"map", MAP_BASE, false},
    {"map", MAP_NET, false},
};

std::string PrintFormatCase(const ::testing::TestParamInfo<FormatMatrix::ParamType>& info) {
  const FormatCase& c = std::get<0>(info.param);
  std::string name = std::string(c.command) + "_" + c.args;
  name = std::regex_replace(name, std::regex("[^A-Za-z0-9]+"), "_");
  return name.substr(0, 40) + "_" + std::to_string(info.index) + "_" + std::get<1>(info.param) +
         (std::get<2>(info.param) ? "_file" : "_stdout");
}

INSTANTIATE_TEST_SUITE_P(Cli, FormatMatrix,
                         ::testing::Combine(::testing::ValuesIn(kFormatCases),
                                            ::testing::Values("table", "json", "csv"),
                                            ::testing::Bool()),
                         PrintFormatCase);

}  // namespace
}  // namespace reuselens
