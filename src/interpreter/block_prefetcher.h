// BlockPrefetcher: software prefetch of the next block's inputs, spread over
// the current block's kernel calls.
//
// The interpreter reads its input buffers block by block, then computes on
// the block in L1 for a while; the hardware prefetchers do not run ahead
// across that gap, so without help every block starts with cache misses and
// memory sits idle while the block computes. This issues the next block's
// lines a few at a time between kernel calls, so the data arrives while the
// current block computes, without a burst of prefetches that would stall on
// the cache's miss buffers.
//
//   BlockPrefetcher pf;
//   pf.Start(next_len);
//   pf.Add(g + next_offset);
//   for (each kernel call) { pf.Issue(quota); kernel(...); }
//   pf.Issue(pf.lines());  // The rest.
//
// Thread-safety: none; one per interpreter.
#ifndef HERO_INTERPRETER_BLOCK_PREFETCHER_H_
#define HERO_INTERPRETER_BLOCK_PREFETCHER_H_

#include <algorithm>
#include <cstdint>

namespace hero {

class BlockPrefetcher {
 public:
  static constexpr int kMaxStreams = 4;
  static constexpr int kLineFloats = 64 / sizeof(float);

  // Starts a block of `floats` floats from each stream added next.
  void Start(int64_t floats) {
    num_streams_ = 0;
    next_ = 0;
    lines_ = (floats + kLineFloats - 1) / kLineFloats;
  }
  // REQUIRES: fewer than kMaxStreams streams added since Start.
  void Add(const float* p) { streams_[num_streams_++] = p; }
  // Prefetches the next `lines` lines of every stream (fewer at the end).
  void Issue(int64_t lines) {
    const int64_t end = std::min(lines_, next_ + lines);
    for (int64_t l = next_; l < end; ++l) {
      for (int s = 0; s < num_streams_; ++s) {
        __builtin_prefetch(streams_[s] + l * kLineFloats);
      }
    }
    next_ = end;
  }
  // Lines per stream in the block.
  int64_t lines() const { return lines_; }

 private:
  const float* streams_[kMaxStreams] = {};
  int num_streams_ = 0;
  int64_t lines_ = 0;
  int64_t next_ = 0;
};

}  // namespace hero

#endif  // HERO_INTERPRETER_BLOCK_PREFETCHER_H_
