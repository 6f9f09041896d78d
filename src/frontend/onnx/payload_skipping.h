// Reads an ONNX model while skipping weight payloads, so that counting a
// 2 GB model costs neither 2 GB of memory nor the time to copy it.
//
// The file is streamed through protobuf's CodedInputStream and re-encoded
// without the data fields of large tensors (raw_data, float_data, ... of
// initializers and Constant attributes); their names, dims and data types
// stay. Tensors of at most 512 payload bytes keep their data: those are the
// shapes and axes that shape inference reads.
#pragma once

#include <google/protobuf/io/zero_copy_stream.h>

#include <string>

namespace reuselens::onnx_import {

// Returns the model's bytes without large payloads; throws Error(kParse) on
// malformed wire data and Error(kIo) when the file cannot be read.
std::string read_without_payloads(const std::string& path);
std::string strip_payloads(google::protobuf::io::ZeroCopyInputStream& input,
                           const std::string& origin);

}  // namespace reuselens::onnx_import
