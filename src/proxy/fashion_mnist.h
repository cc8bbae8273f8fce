// Fashion-MNIST for the proxy task: an IDX file reader (gzip or raw), the
// normalised train / validation / test splits, optional seeded subsampling,
// and a batch gather into caller-owned buffers.
//
// The data come from the Debian package `dataset-fashion-mnist`, which
// installs /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,
// labels-idx1}-ubyte.gz; FashionMnistOptions::data_dir (the `data_dir` config
// field / --data_dir flag) points elsewhere.
//
//   FashionMnistOptions options;
//   options.train_examples = 10000;  // a fast proxy: a seeded subset
//   absl::StatusOr<std::shared_ptr<const FashionMnist>> data =
//       LoadSharedFashionMnist(options);
//   if (!data.ok()) return data.status();  // names the file and the problem
//   const Dataset& train = (*data)->train;
//
// Splits: train = examples 0..49999 of the official training file,
// validation = its examples 50000..59999, test = the official 10,000 test
// examples. Fitness must use validation; test is for final reports only.
//
// Normalisation: pixel byte x in 0..255 becomes (x/255 - kPixelMean) /
// kPixelStd, where kPixelMean = 0.2860 and kPixelStd = 0.3530 are the mean and
// standard deviation of x/255 over all 60,000 official training images
// (0.28604, 0.35302 to five places), so inputs are roughly zero-mean and unit
// variance. Every loader applies the same 256-entry table, so the result is
// bitwise identical everywhere.
//
// Errors: every function that reads files returns an absl::Status whose
// message starts with the offending path and says what is wrong; a missing
// data set is NotFound and names the fix (apt-get install
// dataset-fashion-mnist, or data_dir); malformed files are DataLoss; bad
// options are InvalidArgument, naming the FashionMnistOptions field.
//
// Thread-safety: a loaded FashionMnist is immutable; share it among any
// number of threads as std::shared_ptr<const FashionMnist> and read it
// concurrently without locks. GatherBatch is thread-safe for distinct output
// buffers. Loading does not touch global state.
#ifndef HERO_PROXY_FASHION_MNIST_H_
#define HERO_PROXY_FASHION_MNIST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace hero {

inline constexpr int kFashionMnistRows = 28;
inline constexpr int kFashionMnistCols = 28;
inline constexpr int kFashionMnistPixels =
    kFashionMnistRows * kFashionMnistCols;
inline constexpr int kFashionMnistClasses = 10;
// Examples in the official files and in each split.
inline constexpr int kFashionMnistTrainFileExamples = 60000;
inline constexpr int kFashionMnistTestFileExamples = 10000;
inline constexpr int kFashionMnistTrainSplit = 50000;
inline constexpr int kFashionMnistValidationSplit = 10000;
inline constexpr int kFashionMnistTestSplit = 10000;
// Normalisation constants; see the file comment.
inline constexpr double kPixelMean = 0.2860;
inline constexpr double kPixelStd = 0.3530;

inline constexpr char kDefaultFashionMnistDir[] =
    "/usr/share/datasets/fashion-mnist";

// The float input for pixel byte `x`: float((x / 255.0 - kPixelMean) /
// kPixelStd), computed in double and rounded once.
float NormalizePixel(uint8_t x);

// ---------------------------------------------------------------------------
// IDX files (http://yann.lecun.com/exdb/mnist/ describes the format): a
// big-endian header, then unsigned bytes. The readers accept gzip-compressed
// or uncompressed files (zlib reads either transparently) and insist that the
// decompressed content holds exactly the advertised number of bytes.

// An IDX image file: magic 0x00000803, dimensions count x rows x cols.
struct IdxImages {
  int32_t count = 0;
  int32_t rows = 0;
  int32_t cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols bytes, row-major
};

// Reads an image file. Errors (message "PATH: ..."): NotFound when the file
// does not exist; DataLoss for a gzip error, a bad magic number or dimension
// count, images that are not 28x28, fewer or more pixel bytes than the
// header advertises.
absl::StatusOr<IdxImages> ReadIdxImages(const std::string& path);

// Reads a label file: magic 0x00000801, dimension count, then one byte per
// label. Errors as ReadIdxImages, plus DataLoss for a label >= 10.
absl::StatusOr<std::vector<uint8_t>> ReadIdxLabels(const std::string& path);

// ---------------------------------------------------------------------------
// Datasets.

// A set of labelled, normalised images.
// Invariants: images.size() == kFashionMnistPixels * size();
// labels.size() == source_index.size() == size(); 0 <= labels[i] < 10.
struct Dataset {
  // Row-major [size() x 784] normalised pixels (see NormalizePixel).
  std::vector<float> images;
  // Class indices in [0, 10).
  std::vector<int32_t> labels;
  // source_index[i] is the row of example i in its official IDX file, so
  // subsets and splits can be traced back (validation starts at 50000).
  std::vector<int32_t> source_index;

  int32_t size() const { return static_cast<int32_t>(labels.size()); }
  const float* image(int32_t i) const {
    return images.data() + static_cast<size_t>(i) * kFashionMnistPixels;
  }
};

struct FashionMnistOptions {
  // The directory holding the four .gz files.
  std::string data_dir = kDefaultFashionMnistDir;
  // How many examples of each split to keep: 0 keeps the whole split
  // (50000 / 10000 / 10000); 0 < k < split size keeps a seeded random subset
  // of k examples; more than the split size, or negative, is an error.
  //
  // The subset of a split is the first k entries of a forward Fisher–Yates
  // permutation of the split's row numbers (RandomPermutationPrefix in
  // batch_sampler.h), drawn with std::mt19937_64 seeded by
  // StreamSeed(subsample_seed, s), s = 1 for train, 2 for validation, 3 for
  // test, and then sorted, so the kept examples stay in file order. For one
  // seed, a smaller subset is contained in a larger one.
  int32_t train_examples = 0;
  int32_t validation_examples = 0;
  int32_t test_examples = 0;
  uint64_t subsample_seed = 0;
  // False skips reading the test files; `test` is then empty.
  bool load_test = true;
};

// Read-only after loading; see the thread-safety note above.
struct FashionMnist {
  Dataset train;
  Dataset validation;
  Dataset test;  // empty unless options.load_test
};

// Reads and validates the files in options.data_dir and builds the splits.
// Beyond the IDX checks it requires 60000 training and 10000 test examples,
// and image and label files that agree on the count.
absl::StatusOr<FashionMnist> LoadFashionMnist(
    const FashionMnistOptions& options);

// LoadFashionMnist, wrapped for sharing among evaluation threads.
absl::StatusOr<std::shared_ptr<const FashionMnist>> LoadSharedFashionMnist(
    const FashionMnistOptions& options);

// Copies the examples `indices` of `data` into `images` (indices.size() x 784
// floats) and `labels` (indices.size() ints). Never allocates.
// REQUIRES: every index in [0, data.size()); buffers large enough. An index
// out of range is a caller bug and aborts with a message.
void GatherBatch(const Dataset& data, absl::Span<const int32_t> indices,
                 float* images, int32_t* labels);

}  // namespace hero

#endif  // HERO_PROXY_FASHION_MNIST_H_
