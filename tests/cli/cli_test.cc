// The reuselens CLI as a user runs it: golden outputs, formats, exit codes.
// Set REUSELENS_UPDATE_GOLDEN=1 to rewrite tests/golden/ after a reviewed change.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "reuselens/ops.h"
#include "reuselens/zoo.h"
#include "test_util.h"

namespace reuselens {
namespace {

using testing::read_text;
using testing::run_cli;
using testing::source_path;

void expect_golden(const std::string& args, const std::string& golden) {
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string path = source_path("tests/golden/" + golden);
  if (std::getenv("REUSELENS_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << r.out;
    return;
  }
  EXPECT_EQ(r.out, read_text(path)) << "reuselens " << args << " differs from " << golden;
}

TEST(CliGolden, AnalyzeTable) { expect_golden("analyze zoo:alexnet", "analyze_alexnet.txt"); }
TEST(CliGolden, AnalyzeCsv) {
  expect_golden("analyze zoo:squeezenet11 --format csv --convention conv-fc",
                "analyze_squeezenet11.csv");
}
TEST(CliGolden, CompareTable) { expect_golden("compare zoo:all", "compare_all.txt"); }
TEST(CliGolden, CompareCsvSorted) {
  expect_golden("compare zoo:all --format csv --sort di", "compare_all_by_di.csv");
}
TEST(CliGolden, Zoo) { expect_golden("zoo", "zoo.txt"); }
TEST(CliGolden, ZooCsv) { expect_golden("zoo --format csv", "zoo.csv"); }

TEST(CliJson, AnalyzeCarriesConventionVersionAndEveryLayer) {
  const auto r = run_cli("analyze zoo:resnet50 --format json --alpha 0.75 --batch 2 --act-bits 16");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["tool"], "reuselens");
  EXPECT_FALSE(doc["version"].get<std::string>().empty());
  EXPECT_EQ(doc["convention"]["name"], "paper");
  EXPECT_EQ(doc["convention"]["alpha"], 0.75);
  EXPECT_EQ(doc["convention"]["act_bits"], 16);
  const auto& a = doc["analysis"];
  EXPECT_EQ(a["batch"], 2);
  EXPECT_EQ(a["model"], "ResNet-50");
  EXPECT_EQ(a["coverage"]["summary"], "228/228 nodes counted");
  EXPECT_EQ(a["layers"].size(), 228u);
  EXPECT_EQ(a["total"]["mc"], 2 * int64_t{3868560384});
  EXPECT_EQ(a["total"]["activation_bytes"], a["total"]["a"].get<int64_t>() * 2);
  EXPECT_NEAR(a["total"]["di"].get<double>(),
              (0.75 * a["total"]["mc_over_a"].get<double>() +
               0.25 * a["total"]["mc_over_w"].get<double>()) /
                  4,
              1e-9);
}

TEST(CliJson, CompareListsEveryModel) {
  const auto r = run_cli("compare zoo:alexnet zoo:vgg16 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["models"].size(), 2u);
  EXPECT_EQ(doc["models"][1]["model"], "VGG-16");
  EXPECT_EQ(doc["convention"]["name"], "paper");
}

TEST(CliOutput, WritesFileAndNothingToStdout) {
  const std::string path = ::testing::TempDir() + "/reuselens_out.json";
  std::remove(path.c_str());
  const auto r = run_cli("zoo --format json -o " + path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(nlohmann::json::parse(read_text(path))["zoo"].size(), zoo().size());
}

TEST(CliOutput, PrototxtAnalysisMatchesZoo) {
  const std::string path = ::testing::TempDir() + "/tiny.prototxt";
  std::ofstream(path) << "input: \"data\" input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8\n"
                         "layer { name: \"c\" type: \"Convolution\" bottom: \"data\" top: \"c\"\n"
                         "  convolution_param { num_output: 2 kernel_size: 3 } }\n";
  const auto r = run_cli("analyze " + path + " --input 1x3x10x10 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("layer,tiny,c,Conv,conv,counted,1x2x8x8,false,1,3456,6912,56,300,128,"),
            std::string::npos)
      << "unnamed nets take the file's name\n"
      << r.out;
}

struct ExitCase {
  const char* args;
  int code;
  const char* message;  // fragment of standard error
};

void PrintTo(const ExitCase& c, std::ostream* os) { *os << c.args; }

class CliExitCodes : public ::testing::TestWithParam<ExitCase> {};

TEST_P(CliExitCodes, DocumentedCodeAndOneLineMessage) {
  const ExitCase& c = GetParam();
  const auto r = testing::run_shell(std::string(REUSELENS_CLI) + " " + c.args, source_path(""));
  EXPECT_EQ(r.exit_code, c.code) << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  if (c.code != 2) {
    EXPECT_TRUE(r.out.empty()) << "no partial output on failure";
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Errors, CliExitCodes,
    ::testing::Values(
        ExitCase{"analyze zoo:resnet51", 6, "nearest: zoo:resnet50"},
        ExitCase{"analyze /nonexistent.prototxt", 3, "cannot open file"},
        ExitCase{"analyze zoo:alexnet --alpha 1.5", 2, "outside [0, 1]"},
        ExitCase{"analyze zoo:alexnet --weight-bits 12", 2, "not supported"},
        ExitCase{"analyze zoo:alexnet --convention flops", 2, "unknown counting convention"},
        ExitCase{"analyze zoo:alexnet --batch 0", 2, "--batch: 0 is not >= 1"},
        ExitCase{"analyze zoo:alexnet --format xml", 2, "format"},
        ExitCase{"compare zoo:alexnet --sort speed", 2, "cannot sort by"},
        ExitCase{"frobnicate", 2, "unknown command 'frobnicate'"},
        // Parser errors are one line, prefixed, and say which command.
        ExitCase{"analyze", 2, "[UsageError] analyze: model is required"},
        ExitCase{"analyze zoo:alexnet --bogus", 2, "[UsageError] analyze: "},
        ExitCase{"bench zoo:alexnet --device tpu", 2, "cpu, cuda or cuda:N"},
        ExitCase{"analyze zoo:AlexNet --input 3x227x227 --batch 0", 2, "--batch: 0 is not >= 1"},
        ExitCase{"analyze zoo:alexnet --dtype int12", 2, "unknown data type"},
        ExitCase{"analyze tests/data/onnx/tiny_decoder.onnx --batch 2", 2,
                 "cannot take the input shapes"},
        ExitCase{"analyze tests/data/onnx/squeezenet1_1.onnx --input x=1x3x8x8", 2,
                 "its inputs: input batchx3x224x224"},
        ExitCase{"analyze zoo:resnet-5O", 6, "nearest: zoo:resnet50"}));

TEST(CliErrors, OneLineForEveryParserError) {
  for (const char* args :
       {"analyze", "analyze zoo:alexnet --format", "zoo extra", "--bogus", "dataflow --layer"}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
    EXPECT_EQ(r.err.rfind("reuselens: error: [UsageError] ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(CliErrors, MeasureFailureAndMissingRowFieldsPrintNoTable) {
  const std::string trace = source_path("tests/data/measure/constant_40w.csv");
  auto r = run_cli("measure --meter replay:" + trace + " --idle 0.1 -- false");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(r.out.empty()) << "no table for a failed measurement: " << r.out;
  EXPECT_NE(r.err.find("measurement incomplete"), std::string::npos) << r.err;
  // --append without the row's model and label is refused before the workload runs.
  const std::string marker = ::testing::TempDir() + "/workload_ran";
  std::remove(marker.c_str());
  r = run_cli("measure --meter replay:" + trace + " --append " + ::testing::TempDir() +
              "/rows.csv -- touch " + marker);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(std::ifstream(marker).good()) << "the workload ran before the refusal";
}

TEST(CliErrors, BadMeasurementFileIsAParseErrorNamingIt) {
  const std::string path = ::testing::TempDir() + "/bad_rows.csv";
  std::ofstream(path) << "model,device,batch,inference_ms,avg_power_w\nzoo:alexnet,x,1,abc,3\n";
  const auto r = run_cli("correlate --measurements " + path);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find(path + ":2: column 'inference_ms'"), std::string::npos) << r.err;
}

TEST(CliErrors, SmallGroupsAreSkippedWithANote) {
  const std::string path = ::testing::TempDir() + "/groups.csv";
  std::ofstream(path) << "model,device,batch,inference_ms,avg_power_w\n"
                         "zoo:alexnet,few,1,3,30\nzoo:vgg16,few,1,9,50\n"
                         "zoo:alexnet,many,1,3,30\nzoo:vgg16,many,1,9,50\nzoo:nin,many,1,4,35\n";
  const auto r = run_cli("correlate --measurements " + path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("note: few, batch 1: 2 points, fewer than the 3"), std::string::npos)
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nmany +1 +3 +AI_c"))) << r.out;
}

// The paper's P100 rows report an average power below the idle power its
// text gives: --above-idle leaves them out and says so, row by row.
TEST(CliErrors, PaperRowsBelowIdleAreExplained) {
  const auto r = run_cli("correlate --measurements paper --above-idle --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_FALSE(doc["notes"].empty());
  EXPECT_NE(doc["notes"][0].get<std::string>().find(
                "GoogLeNet on P100 at batch 1 left out: its average power 20.5 W is not above "
                "its idle power 31 W"),
            std::string::npos)
      << doc["notes"][0];
  EXPECT_EQ(doc["groups"].size(), 4u);
}

TEST(CliExitCodesFiles, MalformedAndInvalidPrototxt) {
  const std::string bad = ::testing::TempDir() + "/bad.prototxt";
  std::ofstream(bad) << "layer {\n name: \"x\"\n";
  auto r = run_cli("analyze " + bad);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("unterminated block 'layer'"), std::string::npos) << r.err;

  const std::string invalid = ::testing::TempDir() + "/invalid.prototxt";
  std::ofstream(invalid)
      << "input: \"data\" input_dim: 1 input_dim: 3 input_dim: 4 input_dim: 4\n"
         "layer { name: \"c\" type: \"Convolution\" bottom: \"data\" top: \"c\"\n"
         "  convolution_param { num_output: 2 kernel_size: 7 } }\n";
  r = run_cli("analyze " + invalid);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("invalid.prototxt:2: node 'c' (Conv)"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(CliHelp, ExitsZero) {
  const auto r = run_cli("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("analyze"), std::string::npos);
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

TEST(CliGolden, CorrelatePaper) {
  expect_golden("correlate --measurements paper", "correlate_paper.txt");
}
TEST(CliGolden, CalibratePaperCsv) {
  expect_golden("calibrate --measurements paper --format csv", "calibrate_paper.csv");
}
TEST(CliGolden, RankZooCsv) { expect_golden("rank zoo:all --k 0.5 --format csv", "rank_zoo.csv"); }

TEST(CliCorrelate, JsonAndPoints) {
  const auto r = run_cli("correlate --measurements paper --models zoo:all --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["groups"].size(), 4u);
  EXPECT_EQ(doc["groups"][0]["points"].size(), 25u);
  EXPECT_EQ(doc["groups"][0]["metrics"][1]["metric"], "DI");
  EXPECT_EQ(doc["groups"][0]["metrics"][1]["intervals"].size(), 2u);
  EXPECT_EQ(doc["convention"]["name"], "paper");
  const auto pts = run_cli(
      "correlate --measurements paper --models zoo:alexnet zoo:vgg16 zoo:nin zoo:googlenet "
      "--points");
  ASSERT_EQ(pts.exit_code, 0) << pts.err;
  EXPECT_NE(pts.out.find("MACs/J (G)"), std::string::npos);
}

TEST(CliCorrelate, BadMeasurementFileNamesLineAndColumn) {
  const std::string path = ::testing::TempDir() + "/m.csv";
  std::ofstream(path) << "model,device,batch,inference_ms,avg_power_w\nzoo:alexnet,P100,1,abc,30\n";
  const auto r = run_cli("correlate --measurements " + path);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("m.csv:2: column 'inference_ms': 'abc'"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(CliCalibrate, WritesAnSvgChart) {
  const std::string svg = ::testing::TempDir() + "/sweep.svg";
  std::remove(svg.c_str());
  const auto r = run_cli("calibrate --measurements paper --step 0.1 --svg " + svg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = read_text(svg);
  EXPECT_EQ(testing::xml_problem(text), "");
  EXPECT_EQ(testing::count_tags(text, "circle"), 4 * 11 + 4);
  EXPECT_NE(r.out.find("best alpha (r_p)"), std::string::npos);
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

TEST(CliGolden, RooflineTable) {
  expect_golden("roofline zoo:squeezenet11 --hw p100", "roofline_squeezenet11.txt");
}
TEST(CliGolden, RooflineCompareCsv) {
  expect_golden("roofline zoo:all --hw p4000 --format csv", "roofline_zoo_p4000.csv");
}

TEST(CliRoofline, JsonSvgAndErrors) {
  const std::string svg = ::testing::TempDir() + "/layers.svg";
  const auto r = run_cli("roofline zoo:alexnet --hw v100 --dtype fp16 --format json --svg " + svg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_NEAR(doc["roofline"]["ridge_flops_per_byte"].get<double>(), 138.89, 0.01);
  EXPECT_EQ(doc["roofline"]["layers"].size(), 23u);
  EXPECT_EQ(testing::xml_problem(read_text(svg)), "");

  auto bad = run_cli("roofline zoo:alexnet --hw p4000 --dtype int8");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("p4000 has no peak rate for int8 (it has: fp16, fp32)"), std::string::npos)
      << bad.err;
  bad = run_cli("roofline zoo:alexnet --hw tpu");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("presets:"), std::string::npos) << bad.err;
  const std::string hw = ::testing::TempDir() + "/hw.json";
  std::ofstream(hw) << R"({"name": "mine", "peak_tflops": {"fp32": {"value": 10}}})";
  bad = run_cli("roofline zoo:alexnet --hw " + hw);
  EXPECT_EQ(bad.exit_code, 5);
  EXPECT_NE(bad.err.find("field 'bandwidth_gbs.dram'"), std::string::npos) << bad.err;
}

TEST(CliReport, WritesHtml) {
  const std::string html = ::testing::TempDir() + "/r.html";
  std::remove(html.c_str());
  const auto r = run_cli("report zoo:alexnet zoo:nin --hw xeon-e5-1650v4 -o " + html);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = read_text(html);
  EXPECT_NE(text.find("<title>reuselens report: 2 networks on xeon-e5-1650v4 (fp32)</title>"),
            std::string::npos);
  EXPECT_EQ(testing::count_tags(text, "svg"), 4);
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

TEST(CliGolden, DataflowAlexNet) {
  expect_golden("dataflow zoo:alexnet --input 3x227x227 --buffer 64KiB --bits 16",
                "dataflow_alexnet.txt");
}

TEST(CliDataflow, LayerSimulateSweepAndErrors) {
  auto r =
      run_cli("dataflow --layer p=8,q=4,n=10,r=3,s=1,pad=1 --buffer 512B --simulate --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& flow : doc["layers"][0]["dataflows"]) {
    EXPECT_EQ(flow["traffic"]["total"], flow["simulated"]["total"]) << flow["name"];
  }
  const std::string svg = ::testing::TempDir() + "/sweep.svg";
  r = run_cli("dataflow --layer p=384,q=256,n=15,r=3,s=1,pad=1 --sweep n=8:32:+8 --svg " + svg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("R^2 = 1.000000"), std::string::npos) << r.out;
  EXPECT_EQ(testing::xml_problem(read_text(svg)), "");
  r = run_cli("dataflow --layer p=4,q=3,n=7,r=3 --buffer 3furlongs");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("buffer size '3furlongs'"), std::string::npos) << r.err;
  // Stride beyond the kernel: modelled exactly, the slides' closed forms n/a.
  r = run_cli("dataflow --layer p=4,q=3,n=7,r=2,s=4");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("n/a: the closed forms do not apply"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stride 4 > kernel 2"), std::string::npos) << r.out;
  r = run_cli("dataflow zoo:alexnet --layer p=4,q=3,n=7,r=3");
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

TEST(CliOnnx, AnalyzeCompareAndErrors) {
  const std::string model = source_path("tests/data/onnx/squeezenet1_1.onnx");
  auto r =
      run_cli("analyze " + model + " --convention conv-fc --format json --input input=2x3x224x224");
  if (r.exit_code == 2 && r.err.find("built without ONNX") != std::string::npos)
    GTEST_SKIP() << "no ONNX support";
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["analysis"]["model"], "squeezenet1_1");
  EXPECT_EQ(doc["analysis"]["total"]["mc"], 2 * int64_t{349151936});
  EXPECT_EQ(doc["analysis"]["coverage"]["summary"], "65/65 nodes counted");
  r = run_cli("compare " + model + " zoo:squeezenet11 --convention conv-fc --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("squeezenet1_1,282.60062031767,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(",input 1x3x224x224,model,model\n"), std::string::npos) << r.out;
  r = run_cli("roofline " + model + " --hw a100 --dtype fp16");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string bad = ::testing::TempDir() + "/bad.onnx";
  std::ofstream(bad) << "definitely not protobuf \xff\xff";
  r = run_cli("analyze " + bad);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("not a valid ONNX model"), std::string::npos) << r.err;
  r = run_cli("analyze " + model + " --input pixels=1x3x224x224");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--input names 'pixels'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

// Slices of a sweep partition it: the CSV shards, merged as docs/cli.md
// shows (one header, every shard's rows), are the whole run's rows.
TEST(Shards, MergedCsvShardsAreTheWholeRun) {
  const auto whole = testing::run_cli("compare zoo:table7 --format csv");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) out.push_back(line);
    return out;
  };
  const auto expected = lines(whole.out);
  std::vector<std::string> merged;
  for (int i = 0; i < 4; ++i) {
    const auto shard =
        testing::run_cli("compare zoo:table7 --format csv --shard " + std::to_string(i) + "/4");
    ASSERT_EQ(shard.exit_code, 0) << shard.err;
    const auto rows = lines(shard.out);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0], expected[0]) << "every shard has the header";
    if (merged.empty()) merged.push_back(rows[0]);
    merged.insert(merged.end(), rows.begin() + 1, rows.end());
  }
  std::vector<std::string> a(expected.begin() + 1, expected.end()),
      b(merged.begin() + 1, merged.end());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 25u);
}

}  // namespace
}  // namespace reuselens

#include "progress.h"

namespace reuselens {
namespace {

TEST(ProgressBar, CountsAndTimeLeft) {
  EXPECT_EQ(cli::progress_line(6, 24, "zoo:alexnet", 30.0),
            "[######..................] 6/24 zoo:alexnet  1:30 left");
  EXPECT_EQ(cli::progress_line(0, 5, "first", 0.0), "[........................] 0/5 first");
  EXPECT_EQ(cli::progress_line(5, 5, "last", 9.0), "[########################] 5/5 last");
}

TEST(ProgressBar, OffWhenStandardErrorIsNotATerminal) {
  const auto plain = testing::run_cli("compare zoo:alexnet zoo:nin");
  EXPECT_EQ(plain.err, "") << "tests run without a terminal: no bar";
  const auto quiet = testing::run_cli("compare zoo:alexnet zoo:nin --quiet");
  EXPECT_EQ(quiet.out, plain.out);
}

}  // namespace
}  // namespace reuselens
