// Access-by-access execution of a tiled convolution against a buffer.
//
// Every MAC touches one input, one weight and one output element. The
// explicit policy keeps exactly the current tile of each tensor resident and
// evicts a tensor's tile when the loop moves to a different one (writing
// back touched outputs); the LRU policy is a plain least-recently-used cache
// of a given number of words over all three tensors. Element residency is
// kept in flat arrays, so a step costs a few loads and stores.
#include <algorithm>
#include <vector>

#include "dataflow/tiles.h"
#include "ir/checked.h"
#include "reuselens/dataflow.h"
#include "reuselens/error.h"

namespace reuselens {

namespace {

using dataflow::ceil_div;

struct Geometry {
  int64_t k, c, h, w, p, q, r, s, sh, sw, ph, pw;
  int64_t input_elems() const { return c * h * w; }
  int64_t weight_elems() const { return k * c * r * s; }
  int64_t output_elems() const { return k * p * q; }
};

// Explicitly managed buffer: one resident tile per tensor.
class ExplicitBuffer {
 public:
  explicit ExplicitBuffer(const Geometry& g)
      : stamp_{std::vector<uint32_t>(g.input_elems(), 0),
               std::vector<uint32_t>(g.weight_elems(), 0),
               std::vector<uint32_t>(g.output_elems(), 0)},
        written_(g.output_elems(), 0) {}

  // Moves tensor `t` to tile `id`; a different tile evicts the current one.
  void tile(int t, int64_t id) {
    if (tile_[t] == id) return;
    evict(t);
    tile_[t] = id;
  }
  void finish() { evict(2); }

  // Every output access is a write here (a MAC updates its sum); `write`
  // keeps the signature shared with LruBuffer.
  inline void access(int t, int64_t e, bool /*write*/) {
    if (stamp_[t][e] == epoch_[t]) return;
    stamp_[t][e] = epoch_[t];
    ++resident_[t];
    if (t == 2) {
      if (written_[e]) ++traffic.output_reads;  // a partial sum comes back
      dirty_.push_back(e);
    } else {
      ++(t == 0 ? traffic.input_reads : traffic.weight_reads);
    }
    peak = std::max(peak, resident_[0] + resident_[1] + resident_[2]);
  }

  Traffic traffic;
  int64_t peak = 0;

 private:
  void evict(int t) {
    if (t == 2) {
      traffic.output_writes += static_cast<int64_t>(dirty_.size());
      for (int64_t e : dirty_) written_[e] = 1;
      dirty_.clear();
    }
    ++epoch_[t];
    resident_[t] = 0;
  }
  std::vector<uint32_t> stamp_[3];
  uint32_t epoch_[3] = {1, 1, 1};
  int64_t tile_[3] = {-1, -1, -1};
  int64_t resident_[3] = {0, 0, 0};
  std::vector<uint8_t> written_;
  std::vector<int64_t> dirty_;
};

// Least-recently-used cache of `capacity` words over all elements.
class LruBuffer {
 public:
  LruBuffer(const Geometry& g, int64_t capacity)
      : base_{0, g.input_elems(), g.input_elems() + g.weight_elems()},
        n_(g.input_elems() + g.weight_elems() + g.output_elems()),
        capacity_(capacity),
        prev_(n_ + 1, -1),
        next_(n_ + 1, -1),
        state_(n_, 0) {
    // Node n_ is the sentinel of a circular list: next_ from it is the most
    // recent element, prev_ the least recent.
    prev_[n_] = next_[n_] = n_;
  }
  void tile(int, int64_t) {}
  void finish() {
    for (int64_t e = base_[2]; e < n_; ++e) {
      if (state_[e] & kResidentDirty) ++traffic.output_writes;
    }
  }

  inline void access(int t, int64_t local, bool write) {
    const int64_t e = base_[t] + local;
    uint8_t& st = state_[e];
    if (st & kResident) {
      unlink(e);
    } else {
      if (t == 2) {
        if (st & kWritten) ++traffic.output_reads;
      } else {
        ++(t == 0 ? traffic.input_reads : traffic.weight_reads);
      }
      st |= kResident;
      if (++size_ > capacity_) evict_lru();
    }
    if (write) st |= kDirty;
    push_front(e);
  }

  Traffic traffic;
  int64_t peak = 0;

 private:
  static constexpr uint8_t kResident = 1, kDirty = 2, kWritten = 4, kResidentDirty = 3;
  void unlink(int64_t e) {
    next_[prev_[e]] = next_[e];
    prev_[next_[e]] = prev_[e];
  }
  void push_front(int64_t e) {
    next_[e] = next_[n_];
    prev_[e] = n_;
    prev_[next_[n_]] = e;
    next_[n_] = e;
  }
  void evict_lru() {
    const int64_t e = prev_[n_];
    unlink(e);
    --size_;
    uint8_t& st = state_[e];
    if ((st & kResidentDirty) == kResidentDirty) {
      ++traffic.output_writes;
      st |= kWritten;
    }
    st &= static_cast<uint8_t>(~kResidentDirty);
  }
  int64_t base_[3];
  int64_t n_, capacity_, size_ = 0;
  std::vector<int64_t> prev_, next_;
  std::vector<uint8_t> state_;
};

struct Range {
  int64_t lo, hi;
};

template <typename Buffer>
int64_t run_tile(const Geometry& g, Buffer& buf, Range k, Range c, Range p, Range q) {
  int64_t steps = 0;
  for (int64_t kk = k.lo; kk < k.hi; ++kk) {
    for (int64_t cc = c.lo; cc < c.hi; ++cc) {
      const int64_t w_base = (kk * g.c + cc) * g.r * g.s;
      const int64_t in_base = cc * g.h * g.w;
      for (int64_t pp = p.lo; pp < p.hi; ++pp) {
        for (int64_t qq = q.lo; qq < q.hi; ++qq) {
          // The partial sum is updated on every visit, also when the whole
          // window lies in the padding (it still holds the bias): outputs
          // are written whatever their windows, as the closed forms count.
          const int64_t out = (kk * g.p + pp) * g.q + qq;
          buf.access(2, out, true);
          for (int64_t rr = 0; rr < g.r; ++rr) {
            const int64_t hh = pp * g.sh - g.ph + rr;
            for (int64_t ss = 0; ss < g.s; ++ss) {
              ++steps;
              const int64_t ww = qq * g.sw - g.pw + ss;
              if (hh < 0 || hh >= g.h || ww < 0 || ww >= g.w) continue;  // padding: no data
              buf.access(0, in_base + hh * g.w + ww, false);
              buf.access(1, w_base + rr * g.s + ss, false);
              buf.access(2, out, true);
            }
          }
        }
      }
    }
  }
  return steps;
}

template <typename Buffer>
int64_t run(const Geometry& g, const Tiling& t, Buffer& buf) {
  const int64_t nk = ceil_div(g.k, t.kt), nc = ceil_div(g.c, t.ct);
  const int64_t np = ceil_div(g.p, t.pt), nq = ceil_div(g.q, t.qt);
  const auto range = [](int64_t i, int64_t tile, int64_t extent) {
    return Range{i * tile, std::min(extent, (i + 1) * tile)};
  };
  int64_t steps = 0;
  const auto body = [&](int64_t ki, int64_t ci, int64_t pi, int64_t qi) {
    buf.tile(0, (ci * np + pi) * nq + qi);
    buf.tile(1, ki * nc + ci);
    buf.tile(2, (ki * np + pi) * nq + qi);
    steps += run_tile(g, buf, range(ki, t.kt, g.k), range(ci, t.ct, g.c), range(pi, t.pt, g.p),
                      range(qi, t.qt, g.q));
  };
  switch (t.stationary) {
    case Stationary::kOutput:
      for (int64_t ki = 0; ki < nk; ++ki)
        for (int64_t pi = 0; pi < np; ++pi)
          for (int64_t qi = 0; qi < nq; ++qi)
            for (int64_t ci = 0; ci < nc; ++ci) body(ki, ci, pi, qi);
      break;
    case Stationary::kWeight:
      for (int64_t ki = 0; ki < nk; ++ki)
        for (int64_t ci = 0; ci < nc; ++ci)
          for (int64_t pi = 0; pi < np; ++pi)
            for (int64_t qi = 0; qi < nq; ++qi) body(ki, ci, pi, qi);
      break;
    case Stationary::kInput:
      for (int64_t ci = 0; ci < nc; ++ci)
        for (int64_t pi = 0; pi < np; ++pi)
          for (int64_t qi = 0; qi < nq; ++qi)
            for (int64_t ki = 0; ki < nk; ++ki) body(ki, ci, pi, qi);
      break;
  }
  buf.finish();
  return steps;
}

}  // namespace

SimulationResult simulate(const ConvProblem& x, const Tiling& tiling, BufferPolicy policy,
                          int64_t lru_words) {
  validate_problem(x);
  const Geometry g{x.k, x.c, x.h,        x.w,        x.p,     x.q,
                   x.r, x.s, x.stride_h, x.stride_w, x.pad_h, x.pad_w};
  const int64_t elements =
      checked_add(checked_add(g.input_elems(), g.weight_elems()), g.output_elems());
  if (elements > (int64_t{1} << 31)) {
    throw_error(ErrorCode::kUsage,
                "layer too large to simulate element by element (" + std::to_string(elements) +
                    " elements); simulate a smaller layer or use the closed forms");
  }
  Tiling t = tiling;
  t.kt = std::clamp<int64_t>(t.kt, 1, x.k);
  t.ct = std::clamp<int64_t>(t.ct, 1, x.c);
  t.pt = std::clamp<int64_t>(t.pt, 1, x.p);
  t.qt = std::clamp<int64_t>(t.qt, 1, x.q);
  SimulationResult result;
  if (policy == BufferPolicy::kExplicit) {
    ExplicitBuffer buf(g);
    result.mac_steps = run(g, t, buf);
    result.traffic = buf.traffic;
    result.peak_resident_words = buf.peak;
  } else {
    if (lru_words < 3) throw_error(ErrorCode::kUsage, "an LRU buffer needs at least 3 words");
    LruBuffer buf(g, lru_words);
    result.mac_steps = run(g, t, buf);
    result.traffic = buf.traffic;
    result.peak_resident_words = std::min(lru_words, elements);
  }
  for (int64_t* v :
       {&result.traffic.input_reads, &result.traffic.weight_reads, &result.traffic.output_reads,
        &result.traffic.output_writes, &result.mac_steps}) {
    *v *= x.groups;  // groups are identical, independent problems
  }
  return result;
}

}  // namespace reuselens
