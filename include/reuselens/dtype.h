// Numeric types of stored data and of arithmetic: one table for every
// command, so that `--dtype int8` means the same width (and the same kind of
// multiply-add) in analyze, roofline and dataflow.
//
// A type has a storage width in bits per element and a kind (integer or
// floating point). Byte counts round up per tensor: 5 int4 weights take 3
// bytes. Block-quantisation metadata (scales, zero points) is counted by the
// analyses that know the block layout, not here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reuselens {

struct NumberType {
  std::string name;  // "fp32", "bf16", "int4", ...
  int bits = 32;     // storage bits per element
  bool integer = false;
  std::string description;
};

// Every type reuselens knows, widest first.
const std::vector<NumberType>& number_types();
// Throws Error(kUsage) "unknown data type 'x' (known: fp64, fp32, ...)".
const NumberType& number_type(const std::string& name);
// The type a storage width stands for when only bits are given (the
// deprecated --weight-bits/--act-bits/--bits): 4 int4, 8 int8, 16 fp16,
// 32 fp32, 64 fp64. Throws Error(kUsage) for other widths.
const NumberType& number_type_for_bits(int bits);

// ceil(elements * bits / 8), overflow-checked (Error kInvalidModel).
int64_t bytes_for(int64_t elements, int bits);

}  // namespace reuselens
