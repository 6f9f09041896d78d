// Where a command's results go, and when.
//
// Every path a command will write (-o, --svg, --append) is checked while the
// options are parsed, before any work starts. Results are held until the
// command has succeeded and then written together (main calls
// commit_outputs): a run that fails prints and writes nothing.
//
// A regular file (or a path that does not exist yet) is replaced atomically:
// the text goes to a temporary file beside it, which is renamed over it, so a
// reader never sees half a file; a symbolic link is followed and stays a link.
// Anything else (/dev/null, /dev/stdout, a FIFO, a terminal) is written
// through, never replaced.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace reuselens::cli {

// Throws Error(kIo) naming the path when it cannot be written: a missing or
// read-only directory, a directory, a dangling link.
void check_output_path(const std::string& path);

// A CLI11 check running check_output_path on an option's value.
const CLI::Validator& writable_path();

// `path` "" is standard output. Texts for the same path are concatenated.
void queue_output(const std::string& path, const std::string& text);

// Writes what was queued: files first, standard output last. Throws
// Error(kIo) when a write fails.
void commit_outputs();

// Drops what was queued (a failed run).
void discard_outputs();

}  // namespace reuselens::cli
