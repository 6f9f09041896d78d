// Every command example in README.md and docs/ runs as written: the
// commands are read from the Markdown itself (```sh blocks, lines starting
// with `reuselens` or `./build/reuselens`), so a new example is tested the
// moment it is written. Each file's examples run in order in a scratch
// folder that sees the repository's tests/ and data/; a ```text block right
// after a ```sh block lists lines the block's last command must print.
//
// A trailing comment decides what else counts as success:
//   "needs a GPU", "needs RAPL"  exit 0 where the hardware is, 3 (IoError) where not
//   "takes minutes"              not run here (the reason is in the comment)
// `bench` exits 3 where the LibTorch plugin was not built.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "test_util.h"

namespace reuselens {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::run_shell;
using testing::source_path;

struct Example {
  std::string file;
  int line = 0;
  std::string command;  // after "reuselens "
  std::string comment;
  std::vector<std::string> expected_lines;
};

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

// Splits "cmd args   # comment" at a '#' that follows whitespace outside quotes.
std::pair<std::string, std::string> split_comment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return {trim(line.substr(0, i)), trim(line.substr(i + 1))};
    }
  }
  return {trim(line), ""};
}

std::vector<Example> examples_in(const std::string& relative) {
  std::ifstream in(source_path(relative));
  std::vector<Example> out;
  std::string line, lang, pending;
  int number = 0, pending_line = 0;
  bool in_block = false, expect_output = false;
  size_t block_last = std::string::npos;  // index in `out` of the last command of the last sh block
  while (std::getline(in, line)) {
    ++number;
    const std::string t = trim(line);
    if (t.rfind("```", 0) == 0) {
      if (!in_block) {
        in_block = true;
        lang = t.substr(3);
        expect_output = lang == "text" && block_last != std::string::npos;
        if (lang != "text") block_last = std::string::npos;
      } else {
        in_block = false;
        if (lang == "text") block_last = std::string::npos;
      }
      continue;
    }
    if (!in_block) {
      if (!t.empty()) block_last = std::string::npos;  // prose between blocks: no pairing
      continue;
    }
    if (lang == "text") {
      if (expect_output && !t.empty() && t != "...") out[block_last].expected_lines.push_back(t);
      continue;
    }
    if (lang != "sh") continue;
    if (!pending.empty()) {
      pending += " " + t;
    } else if (t.rfind("reuselens ", 0) == 0 || t.rfind("./build/reuselens ", 0) == 0) {
      pending = t;
      pending_line = number;
    } else {
      continue;
    }
    if (!pending.empty() && pending.back() == '\\') {
      pending.pop_back();
      continue;
    }
    auto [command, comment] = split_comment(pending);
    command = command.substr(command.find("reuselens ") + 10);
    out.push_back({relative, pending_line, command, comment, {}});
    block_last = out.size() - 1;
    pending.clear();
  }
  return out;
}

std::vector<std::string> documented_files() {
  std::vector<std::string> files = {"README.md"};
  std::vector<std::string> docs;
  for (const auto& e : fs::recursive_directory_iterator(source_path("docs"))) {
    if (e.path().extension() == ".md")
      docs.push_back(fs::relative(e.path(), source_path("")).string());
  }
  std::sort(docs.begin(), docs.end());
  files.insert(files.end(), docs.begin(), docs.end());
  return files;
}

bool torch_plugin_built() { return std::string(REUSELENS_TEST_TORCH_PLUGIN) != ""; }

TEST(DocExamples, EveryCommandRunsAsDocumented) {
  int ran = 0, skipped = 0;
  for (const std::string& file : documented_files()) {
    const std::vector<Example> examples = examples_in(file);
    if (examples.empty()) continue;
    const fs::path dir = fs::path(::testing::TempDir()) /
                         ("doc_examples_" + std::regex_replace(file, std::regex("[/.]"), "_"));
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const char* link : {"tests", "data"}) {
      fs::create_directory_symlink(source_path(link), dir / link);
    }
    for (const Example& e : examples) {
      const std::string where = e.file + ":" + std::to_string(e.line) + ": reuselens " + e.command;
      if (e.comment.find("takes minutes") != std::string::npos) {
        ++skipped;
        continue;
      }
      std::set<int> accepted = {0};
      if (e.comment.find("needs a GPU") != std::string::npos ||
          e.comment.find("needs RAPL") != std::string::npos) {
        accepted.insert(3);
      }
      if (e.command.rfind("bench ", 0) == 0 && !torch_plugin_built()) accepted = {3};
      const auto r = run_shell(std::string(REUSELENS_CLI) + " " + e.command, dir.string());
      ++ran;
      EXPECT_TRUE(accepted.count(r.exit_code)) << where << "\nexit " << r.exit_code << "\n"
                                               << r.err;
      if (r.exit_code != 0) continue;
      const bool to_file = std::regex_search(e.command, std::regex("(^| )(-o|--output) "));
      if (!to_file) EXPECT_FALSE(r.out.empty()) << where << ": prints nothing";
      for (const std::string& expected : e.expected_lines) {
        EXPECT_NE(r.out.find(expected), std::string::npos)
            << where << "\ndoes not print, as the doc says it does:\n"
            << expected << "\n--- it printed:\n"
            << r.out;
      }
    }
  }
  EXPECT_GE(ran, 35) << "fewer doc examples than expected: is the extraction broken?";
  std::cout << "doc examples: " << ran << " run, " << skipped << " not run (takes minutes)\n";
}

// The extraction itself, on a small Markdown text.
TEST(DocExamples, ExtractionFollowsBlocksCommentsAndContinuations) {
  const std::string path = ::testing::TempDir() + "/doc_examples_sample.md";
  std::ofstream(path) << "text\n```sh\nreuselens zoo   # the list\nls\n"
                         "./build/reuselens analyze zoo:alexnet \\\n    --batch 2\n```\n"
                         "```text\nmodel: AlexNet\n...\n```\n```\nreuselens not-run\n```\n";
  const auto examples = examples_in(fs::relative(path, source_path("")).string());
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].command, "zoo");
  EXPECT_EQ(examples[0].comment, "the list");
  EXPECT_EQ(examples[1].command, "analyze zoo:alexnet  --batch 2");
  EXPECT_EQ(examples[1].expected_lines, std::vector<std::string>{"model: AlexNet"});
}

}  // namespace
}  // namespace reuselens
