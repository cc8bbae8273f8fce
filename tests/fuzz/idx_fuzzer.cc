// Fuzz target: the Fashion-MNIST IDX reader, gzip-compressed or raw.
//
// Input: the bytes of a file, read both as an IDX image file and as an IDX
// label file (ReadIdxImages, ReadIdxLabels: zlib, header, body, trailing
// data, label range). Oracle: whatever they accept is consistent with its
// header (count x 28 x 28 pixels; labels in [0, 10)).
#include <cstddef>
#include <cstdint>
#include <string>

#include "src/proxy/fashion_mnist.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hero;
  static const std::string* path =
      new std::string(FuzzTempDir() + "/input-idx-ubyte.gz");
  WriteFuzzFile(*path, data, size);
  absl::StatusOr<IdxImages> images = ReadIdxImages(*path);
  if (images.ok()) {
    FuzzRequire(images->count >= 0 && images->rows == 28 && images->cols == 28,
                "accepted images with a bad shape");
    FuzzRequire(
        images->pixels.size() == static_cast<size_t>(images->count) * 28 * 28,
        "pixel bytes disagree with the header");
  }
  absl::StatusOr<std::vector<uint8_t>> labels = ReadIdxLabels(*path);
  if (labels.ok()) {
    for (uint8_t label : *labels) {
      FuzzRequire(label < 10, "accepted a label out of range");
    }
  }
  return 0;
}
