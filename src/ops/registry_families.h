// One registration function per op family, called from builtin_ops().
#pragma once

#include "reuselens/ops.h"

namespace reuselens {

void register_conv_ops(OpRegistry& registry);    // Conv, Gemm
void register_pool_ops(OpRegistry& registry);    // MaxPool, AveragePool, Global*Pool
void register_norm_ops(OpRegistry& registry);    // LRN, BatchNorm, Scale, BatchNormalization
void register_math_ops(OpRegistry& registry);    // Relu, Add, Mul, Max, Softmax, ...
void register_tensor_ops(OpRegistry& registry);  // Concat, Dropout, Flatten, Identity
void register_onnx_ops(OpRegistry& registry);  // MatMul, quantized, broadcasting, reductions, views
void register_sequence_ops(OpRegistry& registry);  // LSTM, GRU, RNN, Einsum, DFT, STFT
void register_recent_ops(OpRegistry& registry);    // ops of opsets 18 and later
void register_contrib_ops(OpRegistry& registry);   // onnxruntime's com.microsoft domain

}  // namespace reuselens
