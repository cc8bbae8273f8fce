// ParameterLayout: how a model's parameter tensors sit in one flat buffer.
//
// Every model keeps all of its parameters in one contiguous float32 buffer,
// one segment per parameter tensor, and its gradients in a second buffer with
// the same layout. The interpreter runs an optimizer program over such
// buffers; per-tensor ops (`norm`) work segment by segment.
//
//   ParameterLayout layout;
//   int64_t w1 = layout.Add("fc1.weight", 784 * 256);
//   int64_t b1 = layout.Add("fc1.bias", 256);
//   std::vector<float> params(layout.size());
//
// Invariants: segments are in order, non-empty, contiguous and cover
// [0, size()) exactly.
// Thread-safety: immutable after construction; safe to share across threads.
#ifndef HERO_INTERPRETER_PARAMETER_LAYOUT_H_
#define HERO_INTERPRETER_PARAMETER_LAYOUT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hero {

struct Segment {
  std::string name;
  int64_t offset = 0;
  int64_t size = 0;
};

class ParameterLayout {
 public:
  ParameterLayout() = default;

  // A layout with one segment of `n` elements (n > 0).
  static ParameterLayout Single(int64_t n, std::string name = "params") {
    ParameterLayout layout;
    layout.Add(std::move(name), n);
    return layout;
  }

  // Appends a tensor of `size` (> 0) elements; returns its offset.
  int64_t Add(std::string name, int64_t size) {
    const int64_t offset = size_;
    segments_.push_back(Segment{std::move(name), offset, size});
    size_ += size;
    return offset;
  }

  // Total number of elements.
  int64_t size() const { return size_; }
  const std::vector<Segment>& segments() const { return segments_; }

 private:
  std::vector<Segment> segments_;
  int64_t size_ = 0;
};

}  // namespace hero

#endif  // HERO_INTERPRETER_PARAMETER_LAYOUT_H_
