#include "frontend/onnx/payload_skipping.h"

#include <fcntl.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <unistd.h>

#include "reuselens/error.h"

namespace reuselens::onnx_import {

namespace {

using google::protobuf::io::CodedInputStream;

// Which message a byte range holds; only those on the way to tensors matter.
enum class Kind { kModel, kGraph, kNode, kAttribute, kTensor, kOpaque };

Kind child_kind(Kind parent, uint32_t field) {
  switch (parent) {
    case Kind::kModel:
      return field == 7 ? Kind::kGraph : Kind::kOpaque;
    case Kind::kGraph:
      if (field == 1) return Kind::kNode;
      if (field == 5) return Kind::kTensor;  // initializer
      return Kind::kOpaque;
    case Kind::kNode:
      return field == 5 ? Kind::kAttribute : Kind::kOpaque;
    case Kind::kAttribute:
      if (field == 5 || field == 10) return Kind::kTensor;  // t, tensors
      if (field == 6 || field == 11) return Kind::kGraph;   // g, graphs (subgraphs)
      return Kind::kOpaque;
    default:
      return Kind::kOpaque;
  }
}

// TensorProto data fields: float, int32, string, int64, raw, double, uint64.
bool is_payload(uint32_t field) {
  return field == 4 || field == 5 || field == 6 || field == 7 || field == 9 || field == 10 ||
         field == 11;
}

constexpr uint32_t kKeepPayloadBytes = 512;
constexpr uint32_t kRawDataField = 9;
constexpr int kMaxDepth = 64;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

class Stripper {
 public:
  Stripper(CodedInputStream& in, std::string origin) : in_(in), origin_(std::move(origin)) {}

  // Re-encodes one message of `kind` up to the current limit into `out`.
  void message(Kind kind, std::string& out, int depth) {
    if (depth > kMaxDepth) fail("messages nested deeper than 64");
    while (true) {
      const uint32_t tag = in_.ReadTag();
      if (tag == 0) {
        if (!in_.ConsumedEntireMessage() && in_.BytesUntilLimit() != 0) fail("malformed field tag");
        return;
      }
      const uint32_t field = tag >> 3, wire = tag & 7;
      switch (wire) {
        case 0: {
          uint64_t v = 0;
          if (!in_.ReadVarint64(&v)) fail("truncated varint");
          put_varint(out, tag);
          put_varint(out, v);
          break;
        }
        case 1: {
          uint64_t v = 0;
          if (!in_.ReadLittleEndian64(&v)) fail("truncated 64-bit field");
          put_varint(out, tag);
          out.append(reinterpret_cast<const char*>(&v), 8);
          break;
        }
        case 5: {
          uint32_t v = 0;
          if (!in_.ReadLittleEndian32(&v)) fail("truncated 32-bit field");
          put_varint(out, tag);
          out.append(reinterpret_cast<const char*>(&v), 4);
          break;
        }
        case 2: {
          uint32_t length = 0;
          if (!in_.ReadVarint32(&length)) fail("truncated length");
          if (kind == Kind::kTensor && is_payload(field) && length > kKeepPayloadBytes) {
            if (!in_.Skip(static_cast<int>(length))) fail("truncated tensor data");
            // One byte of raw_data in its place: the tensor keeps its one
            // value field, as ONNX's checker requires of a Constant's
            // (Paddle2ONNX keeps every weight in Constant nodes; an empty
            // field does not count), and nothing is held. Readers of values
            // check sizes, so the placeholder is never taken for data.
            put_varint(out, (kRawDataField << 3) | 2);
            put_varint(out, 1);
            out.push_back('\0');
            break;
          }
          const Kind child = child_kind(kind, field);
          if (child == Kind::kOpaque) {
            std::string bytes;
            if (!in_.ReadString(&bytes, static_cast<int>(length))) fail("truncated field");
            put_varint(out, tag);
            put_varint(out, bytes.size());
            out += bytes;
            break;
          }
          const auto limit = in_.PushLimit(static_cast<int>(length));
          std::string sub;
          message(child, sub, depth + 1);
          if (in_.BytesUntilLimit() != 0) fail("truncated sub-message");
          in_.PopLimit(limit);
          put_varint(out, tag);
          put_varint(out, sub.size());
          out += sub;
          break;
        }
        default:
          fail("unsupported wire type " + std::to_string(wire));
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw_error(ErrorCode::kParse, origin_ + ": not a valid ONNX model (" + what + ")");
  }
  CodedInputStream& in_;
  std::string origin_;
};

}  // namespace

std::string strip_payloads(google::protobuf::io::ZeroCopyInputStream& input,
                           const std::string& origin) {
  CodedInputStream in(&input);
  in.SetTotalBytesLimit(INT32_MAX);  // files up to protobuf's 2 GiB; payloads are skipped, not held
  std::string out;
  Stripper(in, origin).message(Kind::kModel, out, 0);
  return out;
}

std::string read_without_payloads(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw_error(ErrorCode::kIo, path + ": cannot open file");
  std::string out;
  try {
    google::protobuf::io::FileInputStream file(fd);
    out = strip_payloads(file, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return out;
}

}  // namespace reuselens::onnx_import
