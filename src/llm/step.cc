// One prefill or decode step of a language model as components, in closed
// form. Symbols (docs/llm.md): B batch, S new tokens per sequence (prompt P
// in prefill, 1 in decode), N = B x S, L the sequence length after the step,
// H hidden, I intermediate, V vocabulary, h query heads, g KV heads, d head
// dimension, E experts, k experts per token.
#include "llm/step.h"

#include <algorithm>
#include <cmath>

#include "ir/checked.h"
#include "reuselens/dtype.h"
#include "reuselens/error.h"

namespace reuselens::llm {

namespace {

int64_t mul(int64_t a, int64_t b) { return checked_mul(a, b, "LLM count"); }
int64_t mul(int64_t a, int64_t b, int64_t c) { return mul(mul(a, b), c); }
int64_t mul(int64_t a, int64_t b, int64_t c, int64_t d) { return mul(mul(a, b, c), d); }
int64_t add(int64_t a, int64_t b) { return checked_add(a, b, "LLM count"); }

// FLOPs per element of the MLP's activation function.
int64_t activation_flops(const LlmConfig& c) {
  const std::string& a = c.activation;
  if (a == "silu" || a == "swish") return 4;  // x / (1 + exp(-x))
  if (a == "relu") return 1;
  if (a == "quick_gelu") return 5;        // x * sigmoid(1.702 x)
  if (a.rfind("gelu", 0) == 0) return 8;  // erf or tanh form, as the registry's Gelu
  throw_error(ErrorCode::kInvalidModel, c.origin + ": field 'hidden_act' '" + a +
                                            "' is not modelled (silu, gelu, gelu_new, "
                                            "gelu_pytorch_tanh, quick_gelu, relu)");
}

bool rotary(const LlmConfig& c) { return !c.learned_positions; }

// The step's token geometry.
struct Geometry {
  int64_t batch = 1, new_tokens = 1, tokens = 1, length = 1;
  bool prefill = true;
};

Geometry geometry(const LlmWorkload& w) {
  Geometry g;
  g.batch = w.batch;
  g.prefill = w.phase == LlmPhase::kPrefill;
  g.new_tokens = g.prefill ? w.prompt : 1;
  g.tokens = mul(g.batch, g.new_tokens);
  g.length = g.prefill ? w.prompt : w.context;
  return g;
}

// A layer group: layers sharing one attention window.
struct LayerGroup {
  int64_t layers = 0;
  int64_t window = 0;  // 0: full attention
};

std::vector<LayerGroup> layer_groups(const LlmConfig& c, const Geometry& g) {
  // A window at least as long as the sequence changes nothing: one group.
  const bool effective = c.sliding_window > 0 && c.sliding_window < g.length;
  if (!effective || c.sliding_layers == 0) return {{c.layers, 0}};
  std::vector<LayerGroup> groups;
  if (c.layers > c.sliding_layers) groups.push_back({c.layers - c.sliding_layers, 0});
  groups.push_back({c.sliding_layers, c.sliding_window});
  return groups;
}

// Keys a sequence's cache holds, and the attention reads, in a group.
int64_t keys_read(const Geometry& g, const LayerGroup& group) {
  return group.window ? std::min(g.length, group.window) : g.length;
}

// Query-key products per sequence and head.
int64_t attention_pairs(const LlmConfig& c, const LlmWorkload& w, const Geometry& g,
                        const LayerGroup& group) {
  if (!g.prefill) return keys_read(g, group);  // one query, every key it may see
  const int64_t p = g.new_tokens;
  if (c.encoder || w.attention == "dense") return mul(p, p);
  // Causal: query i sees min(i, window) keys.
  const int64_t full = group.window ? std::min(group.window, p) : p;
  return add(mul(full, full + 1) / 2, mul(p - full, full));
}

class StepBuilder {
 public:
  StepBuilder(const LlmConfig& c, const LlmWorkload& w, const Convention& conv, const Storage& s)
      : c_(c), w_(w), conv_(conv), s_(s), g_(geometry(w)) {}

  LlmComponent& add_component(const std::string& name, const std::string& op,
                              const std::string& kind, int64_t count) {
    LlmComponent x;
    x.name = name;
    x.op = op;
    x.kind = kind;
    x.count = count;
    out_.push_back(std::move(x));
    return out_.back();
  }

  // A projection of `tokens` rows through an in x out matrix (with bias).
  LlmComponent& linear(const std::string& name, const Matrix& m, int64_t count, int64_t tokens,
                       double copies_read = 1.0) {
    LlmComponent& x = add_component(name, "MatMul", "fc", count);
    x.macs = mul(tokens, m.in, m.out);
    x.flops = mul(2, x.macs);
    const int64_t matrix = mul(m.in, m.out);
    const int64_t bytes = s_.matrix_bytes(m.in, m.out, m.quantised);
    x.weights =
        copies_read == 1.0 ? matrix : std::llround(copies_read * static_cast<double>(matrix));
    x.weight_bytes =
        copies_read == 1.0 ? bytes : std::llround(copies_read * static_cast<double>(bytes));
    if (m.bias) {
      x.flops = add(x.flops, mul(tokens, m.out));
      const int64_t bias = std::llround(copies_read * static_cast<double>(m.out));
      x.weights = add(x.weights, bias);
      x.weight_bytes = add(x.weight_bytes, s_.plain_bytes(bias));
    }
    x.act_in = mul(tokens, m.in);
    x.act_out = mul(tokens, m.out);
    return x;
  }

  // RMSNorm (gamma) or LayerNorm (gamma, beta) over `tokens` x H.
  void norm(const std::string& name, int64_t count, int64_t tokens) {
    LlmComponent& x = add_component(name, c_.layer_norm ? "LayerNorm" : "RMSNorm", "norm", count);
    const int64_t elements = mul(tokens, c_.hidden);
    x.flops = mul(c_.layer_norm ? 8 : 4, elements);
    if (conv_.mc_elementwise) x.macs = elements;  // the paper's Scale rule: one per element
    const int64_t params = mul(c_.layer_norm ? 2 : 1, c_.hidden);
    if (conv_.w_affine) x.weights = params;
    x.weight_bytes = s_.plain_bytes(params);  // read whatever W counts
    x.act_in = x.act_out = elements;
  }

  void eltwise(const std::string& name, const std::string& op, int64_t count, int64_t elements,
               int inputs, int64_t flops_per_element) {
    LlmComponent& x = add_component(name, op, inputs > 1 ? "eltwise" : "activation", count);
    x.flops = mul(flops_per_element, elements);
    x.act_in = mul(inputs, elements);
    x.act_out = elements;
  }

  void embeddings() {
    LlmComponent& x = add_component("embed_tokens", "Gather", "data", 1);
    const int64_t rows = std::min(g_.tokens, c_.vocab);
    x.weights = mul(rows, c_.hidden);
    x.act_in = g_.tokens;  // token ids
    x.act_out = mul(g_.tokens, c_.hidden);
    int64_t tables = 0;
    if (c_.learned_positions) {  // one row per position, shared by the batch
      x.weights = add(x.weights, mul(g_.new_tokens, c_.hidden));
      ++tables;
    }
    if (c_.type_vocab) {  // token type 0
      x.weights = add(x.weights, c_.hidden);
      ++tables;
    }
    if (c_.scale_embeddings) ++tables;  // times sqrt(H)
    x.flops = mul(tables, x.act_out);
    x.weight_bytes = s_.plain_bytes(x.weights);
    if (c_.post_norm) norm("embeddings.norm", 1, g_.tokens);
  }

  // Q, K, V projections and the rotation, for every layer: Q (and K before
  // its rotation) are activations; K and V are written to the cache.
  void projections() {
    const int64_t n = g_.tokens, d = c_.head_dim, h = c_.heads, kv = c_.kv_heads;
    const int64_t layers = c_.layers;
    const bool cache = !c_.encoder;
    for (const Matrix& m : block_matrices(c_)) {
      if (m.name == "q_proj") linear(m.name, m, layers, n);
      if (m.name == "k_proj") {
        LlmComponent& x = linear(m.name, m, layers, n);
        if (cache && !rotary(c_)) std::swap(x.act_out, x.kv_written);
      }
      if (m.name == "v_proj") {
        LlmComponent& x = linear(m.name, m, layers, n);
        if (cache) std::swap(x.act_out, x.kv_written);
      }
      if (m.name == "qkv_proj" && cache) {
        LlmComponent& x = linear(m.name, m, layers, n);
        // V, and K when no rotation follows, go to the cache.
        const int64_t to_cache = mul(rotary(c_) ? 1 : 2, n, kv, d);
        x.act_out -= to_cache;
        x.kv_written = to_cache;
      } else if (m.name == "qkv_proj") {
        linear(m.name, m, layers, n);
      }
    }
    if (rotary(c_)) {
      LlmComponent& x = add_component("rotary", "RotaryEmbedding", "eltwise", layers);
      const int64_t rotated = mul(n, h + kv, d);
      x.flops = mul(3, rotated);  // x * cos + rotate(x) * sin
      x.act_in = rotated;
      x.act_out = mul(n, h, d);
      if (cache) {
        x.kv_written = mul(n, kv, d);  // the rotated K
      } else {
        x.act_out = rotated;
      }
    }
  }

  // The two products and the softmax of the layers of one window group.
  void attention(const LayerGroup& group) {
    const int64_t n = g_.tokens, d = c_.head_dim, h = c_.heads, kv = c_.kv_heads;
    const std::string suffix = group.window ? " (window " + std::to_string(group.window) + ")" : "";
    const bool cache = !c_.encoder;
    const int64_t pairs = attention_pairs(c_, w_, g_, group);
    const int64_t scores = mul(g_.batch, h, pairs);
    const int64_t keys = c_.encoder ? g_.new_tokens : keys_read(g_, group);
    const int64_t kv_side = mul(g_.batch, keys, kv, d);  // K (or V) entries read
    for (const bool qk : {true, false}) {
      LlmComponent& x = add_component(std::string(qk ? "attention.qk" : "attention.av") + suffix,
                                      "MatMul", "matmul", group.layers);
      x.macs = mul(scores, d);
      x.flops = mul(2, x.macs);
      x.act_in = qk ? mul(n, h, d) : scores;
      (cache ? x.kv_read : x.act_in) += kv_side;
      x.act_out = qk ? scores : mul(n, h, d);
      if (qk) {
        LlmComponent& sm = add_component("softmax" + suffix, "Softmax", "softmax", group.layers);
        // Scale, mask, max-subtracted exp, sum, divide; Gemma 2 caps scores with tanh first.
        sm.flops = mul(c_.attention_softcap > 0 ? 8 : 5, scores);
        sm.act_in = sm.act_out = scores;
      }
    }
  }

  void block() {
    const int64_t n = g_.tokens, hidden_elems = mul(g_.tokens, c_.hidden);
    const int64_t layers = c_.layers;
    if (!c_.post_norm) norm("attention_norm", layers, n);
    projections();
    for (const LayerGroup& group : layer_groups(c_, g_)) attention(group);
    for (const Matrix& m : block_matrices(c_)) {
      if (m.name == "o_proj") linear(m.name, m, layers, n);
    }
    if (c_.norms_per_block == 4) norm("attention_out_norm", layers, n);
    eltwise("attention.residual", "Add", layers, hidden_elems, 2, 1);
    if (c_.post_norm) norm("attention_out_norm", layers, n);
    if (!c_.post_norm) norm("mlp_norm", layers, n);
    if (c_.experts) {
      moe();
    } else {
      mlp("", n, layers, 1.0);
    }
    if (c_.norms_per_block == 4) norm("mlp_out_norm", layers, n);
    eltwise("mlp.residual", "Add", layers, hidden_elems, 2, 1);
    if (c_.post_norm) norm("mlp_out_norm", layers, n);
  }

  // Dense MLP over `tokens` rows; `copies` of each matrix read (experts).
  void mlp(const std::string& prefix, int64_t tokens, int64_t layers, double copies) {
    const int64_t inner = mul(tokens, c_.intermediate);
    for (const Matrix& m : block_matrices(c_)) {
      if (m.name == "gate_proj" || m.name == "up_proj" || m.name == "fc_in") {
        linear(prefix + m.name, m, layers, tokens, copies);
        if (m.name == "up_proj" || m.name == "fc_in") {
          eltwise(prefix + "act_fn", c_.activation, layers, inner, 1, activation_flops(c_));
          if (c_.gated_mlp) eltwise(prefix + "gate_mul", "Mul", layers, inner, 2, 1);
        }
      }
      if (m.name == "down_proj" || m.name == "fc_out") {
        linear(prefix + m.name, m, layers, tokens, copies);
      }
    }
  }

  void moe() {
    const int64_t n = g_.tokens, e = c_.experts, k = c_.experts_per_token;
    for (const Matrix& m : block_matrices(c_)) {
      if (m.name == "router") linear(m.name, m, c_.layers, n);
    }
    LlmComponent& top = add_component("router.topk", "TopK", "softmax", c_.layers);
    top.flops = mul(5, n, e);  // softmax over the experts, then the top k
    top.act_in = mul(n, e);
    top.act_out = mul(2, n, k);  // weights and indices
    // Under uniform routing N tokens read E (1 - (1 - k/E)^N) distinct experts.
    experts_read_ = static_cast<double>(e) *
                    (1.0 - std::pow(1.0 - static_cast<double>(k) / static_cast<double>(e),
                                    static_cast<double>(n)));
    mlp("experts.", mul(n, k), c_.layers, experts_read_);
    LlmComponent& combine = add_component("experts.combine", "Mul", "eltwise", c_.layers);
    combine.flops = mul(2, n, k, c_.hidden);  // scale by the routing weight, add
    combine.act_in = mul(n, k, c_.hidden);
    combine.act_out = mul(n, c_.hidden);
  }

  void head() {
    const int64_t n = g_.tokens;
    if (c_.encoder) {
      if (!c_.pooler) return;
      const Matrix pooler{"pooler", c_.hidden, c_.hidden, true, 1, false};
      linear("pooler", pooler, 1, g_.batch);  // the first token of each sequence
      eltwise("pooler.tanh", "Tanh", 1, mul(g_.batch, c_.hidden), 1, 1);
      return;
    }
    norm("final_norm", 1, n);
    const int64_t rows = g_.prefill && w_.logits == "last" ? g_.batch : n;
    const Matrix lm{"lm_head", c_.hidden, c_.vocab, false, 1, false};
    LlmComponent& x = linear("lm_head", lm, 1, rows);
    if (c_.final_softcap > 0) x.flops = add(x.flops, mul(3, rows, c_.vocab));
  }

  std::vector<LlmComponent> finish(double* experts_read) {
    for (LlmComponent& x : out_) {
      x.bytes = add(x.weight_bytes, add(bytes_for(add(x.act_in, x.act_out), s_.act_bits),
                                        bytes_for(add(x.kv_read, x.kv_written), s_.kv_bits)));
    }
    if (experts_read) *experts_read = experts_read_;
    return std::move(out_);
  }

 private:
  const LlmConfig& c_;
  const LlmWorkload& w_;
  const Convention& conv_;
  const Storage& s_;
  Geometry g_;
  std::vector<LlmComponent> out_;
  double experts_read_ = 0;
};

}  // namespace

std::vector<Matrix> block_matrices(const LlmConfig& c) {
  const int64_t h = c.hidden, q = c.heads * c.head_dim, kv = c.kv_heads * c.head_dim;
  std::vector<Matrix> m;
  if (c.fused_qkv) {
    m.push_back({"qkv_proj", h, q + 2 * kv, c.qkv_bias});
  } else {
    m.push_back({"q_proj", h, q, c.qkv_bias});
    m.push_back({"k_proj", h, kv, c.qkv_bias});
    m.push_back({"v_proj", h, kv, c.qkv_bias});
  }
  m.push_back({"o_proj", q, h, c.o_bias});
  const int64_t copies = c.experts ? c.experts : 1;
  if (c.experts) m.push_back({"router", h, c.experts, false, 1, false});
  if (c.gated_mlp) {
    m.push_back({"gate_proj", h, c.intermediate, c.mlp_bias, copies});
    m.push_back({"up_proj", h, c.intermediate, c.mlp_bias, copies});
    m.push_back({"down_proj", c.intermediate, h, c.mlp_bias, copies});
  } else {
    m.push_back({"fc_in", h, c.intermediate, c.mlp_bias, copies});
    m.push_back({"fc_out", c.intermediate, h, c.mlp_bias, copies});
  }
  return m;
}

int64_t Storage::plain_bytes(int64_t elements) const { return bytes_for(elements, plain_bits); }

int64_t Storage::matrix_bytes(int64_t in, int64_t out, bool quantisable) const {
  if (!quantised || !quantisable) return plain_bytes(mul(in, out));
  const int64_t groups = group_size > 0 ? mul((in + group_size - 1) / group_size, out) : out;
  int64_t bytes = add(bytes_for(mul(in, out), weight_bits), mul(2, groups));  // 16-bit scales
  if (integer) bytes = add(bytes, bytes_for(groups, weight_bits));            // zero points
  return bytes;
}

Storage storage_for(const LlmConfig& c, const LlmWorkload& w) {
  Storage s;
  const NumberType& weight = number_type(w.weight_type);
  s.act_bits = number_type(w.act_type).bits;
  s.kv_bits = number_type(w.kv_type).bits;
  s.weight_bits = weight.bits;
  s.quantised = weight.bits < 16;
  s.integer = weight.integer;
  s.group_size = w.group_size;
  // Quantised checkpoints keep every other parameter at the shipped type.
  s.plain_bits = s.quantised ? number_type(c.torch_dtype).bits : weight.bits;
  return s;
}

LlmParameters count_parameters(const LlmConfig& c) {
  LlmParameters p;
  const int64_t h = c.hidden;
  p.embeddings = mul(c.vocab, h);
  if (c.learned_positions) p.embeddings = add(p.embeddings, mul(c.max_positions, h));
  p.embeddings = add(p.embeddings, mul(c.type_vocab, h));
  int64_t per_layer = mul(c.norms_per_block, c.layer_norm ? 2 : 1, h);
  int64_t experts = 0, expert_matrix = 0;
  for (const Matrix& m : block_matrices(c)) {
    const int64_t one = add(mul(m.in, m.out), m.bias ? m.out : 0);
    per_layer = add(per_layer, mul(one, m.per_layer));
    if (m.per_layer > 1) {
      experts = add(experts, mul(one, m.per_layer));
      expert_matrix = add(expert_matrix, one);
    }
  }
  int64_t total = add(p.embeddings, mul(per_layer, c.layers));
  if (c.encoder) {
    total = add(total, mul(2, h));                        // embeddings LayerNorm
    if (c.pooler) total = add(total, add(mul(h, h), h));  // pooler dense
  } else {
    total = add(total, mul(c.layer_norm ? 2 : 1, h));             // final norm
    if (!c.tied_embeddings) total = add(total, mul(c.vocab, h));  // lm_head
  }
  p.total = total;
  p.non_embedding = total - p.embeddings;
  p.experts_total = mul(experts, c.layers);
  p.active_per_token =
      c.experts ? total - mul(c.experts - c.experts_per_token, expert_matrix, c.layers) : total;
  return p;
}

int64_t stored_weight_bytes(const LlmConfig& c, const Storage& s) {
  const LlmParameters p = count_parameters(c);
  int64_t matrices = 0, bytes = 0;
  for (const Matrix& m : block_matrices(c)) {
    const int64_t copies = mul(m.per_layer, c.layers);
    matrices = add(matrices, mul(m.in, m.out, copies));
    bytes = add(bytes, mul(s.matrix_bytes(m.in, m.out, m.quantised), copies));
  }
  // Everything else (embeddings, lm_head, norms, biases) at the plain type.
  return add(bytes, s.plain_bytes(p.total - matrices));
}

std::vector<LlmComponent> step_components(const LlmConfig& c, const LlmWorkload& w,
                                          const Convention& convention, const Storage& s,
                                          double* experts_read) {
  StepBuilder b(c, w, convention, s);
  b.embeddings();
  b.block();
  b.head();
  return b.finish(experts_read);
}

int64_t kv_cache_elements(const LlmConfig& c, const LlmWorkload& w) {
  if (c.encoder) return 0;
  const Geometry g = geometry(w);
  int64_t total = 0;
  for (const LayerGroup& group : layer_groups(c, g)) {
    total = add(total, mul(mul(group.layers, g.batch), keys_read(g, group),
                           mul(2, c.kv_heads, c.head_dim)));
  }
  return total;
}

}  // namespace reuselens::llm
