#include "reuselens/dtype.h"

#include "ir/checked.h"
#include "reuselens/error.h"

namespace reuselens {

const std::vector<NumberType>& number_types() {
  static const std::vector<NumberType> types = {
      {"fp64", 64, false, "IEEE 754 double precision"},
      {"fp32", 32, false, "IEEE 754 single precision"},
      {"tf32", 32, false, "TensorFloat-32 arithmetic on fp32 storage"},
      {"fp16", 16, false, "IEEE 754 half precision"},
      {"bf16", 16, false, "bfloat16 (8-bit exponent, 7-bit mantissa)"},
      {"fp8", 8, false, "8-bit float (E4M3 or E5M2)"},
      {"int32", 32, true, "32-bit integer"},
      {"int16", 16, true, "16-bit integer"},
      {"int8", 8, true, "8-bit integer"},
      {"int4", 4, true, "4-bit integer, two per byte"},
  };
  return types;
}

const NumberType& number_type(const std::string& name) {
  for (const NumberType& t : number_types()) {
    if (t.name == name) return t;
  }
  std::string known;
  for (const NumberType& t : number_types()) known += (known.empty() ? "" : ", ") + t.name;
  throw_error(ErrorCode::kUsage, "unknown data type '" + name + "' (known: " + known + ")");
}

const NumberType& number_type_for_bits(int bits) {
  switch (bits) {
    case 4:
      return number_type("int4");
    case 8:
      return number_type("int8");
    case 16:
      return number_type("fp16");
    case 32:
      return number_type("fp32");
    case 64:
      return number_type("fp64");
    default:
      throw_error(ErrorCode::kUsage, "bit width " + std::to_string(bits) +
                                         " is not supported (use 4, 8, 16, 32 or 64)");
  }
}

int64_t bytes_for(int64_t elements, int bits) {
  const int64_t total_bits = checked_mul(elements, bits, "bytes");
  return total_bits / 8 + (total_bits % 8 != 0);
}

}  // namespace reuselens
