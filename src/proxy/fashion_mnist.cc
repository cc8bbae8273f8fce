#include "src/proxy/fashion_mnist.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "src/proxy/batch_sampler.h"

namespace hero {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, 3 dims
constexpr uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, 1 dim
constexpr char kInstallHint[] =
    "the Fashion-MNIST data set is not installed there: run `apt-get install "
    "dataset-fashion-mnist`, or point the data_dir config field (--data_dir "
    "flag) at a directory holding {train,t10k}-{images-idx3,labels-idx1}-"
    "ubyte.gz";

// Owns an open zlib file handle; reads gzip or, transparently, raw files.
class GzReader {
 public:
  static absl::StatusOr<GzReader> Open(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      return absl::NotFoundError(
          absl::StrCat(path, ": no such file; ", kInstallHint));
    }
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
    }
    gzbuffer(file, 1 << 18);
    return GzReader(path, file);
  }

  const std::string& path() const { return path_; }
  // True iff the file is not gzip-compressed (zlib reads it as is).
  bool raw() const { return gzdirect(file_.get()) == 1; }

  // Reads up to `size` bytes into `dst`; returns how many were read (fewer
  // only at end of file) or DataLoss on a decompression error.
  absl::StatusOr<uint64_t> Read(uint8_t* dst, uint64_t size) {
    uint64_t done = 0;
    while (done < size) {
      const unsigned chunk =
          static_cast<unsigned>(std::min<uint64_t>(size - done, 1u << 24));
      const int got = gzread(file_.get(), dst + done, chunk);
      // At end of input gzread returns 0; zlib then flags a compressed
      // stream cut short (Z_BUF_ERROR) without failing, so check for it.
      int code = Z_OK;
      const char* message = gzerror(file_.get(), &code);
      if (got < 0 || (got == 0 && code != Z_OK)) {
        // zlib prefixes its message with the path; keep one copy.
        absl::string_view detail =
            code == Z_ERRNO ? std::strerror(errno) : message;
        absl::ConsumePrefix(&detail, absl::StrCat(path_, ": "));
        return absl::DataLossError(absl::StrCat(
            path_, ": gzip error: ", detail,
            code == Z_BUF_ERROR ? " (the compressed file is truncated)" : ""));
      }
      if (got == 0) break;
      done += static_cast<uint64_t>(got);
    }
    return done;
  }

  // Counts the bytes left until end of file.
  absl::StatusOr<uint64_t> CountRemaining() {
    std::array<uint8_t, 1 << 14> sink;
    uint64_t total = 0;
    while (true) {
      absl::StatusOr<uint64_t> got = Read(sink.data(), sink.size());
      if (!got.ok()) return got.status();
      if (*got == 0) return total;
      total += *got;
    }
  }

 private:
  struct Closer {
    void operator()(gzFile file) const { gzclose(file); }
  };
  GzReader(std::string path, gzFile file)
      : path_(std::move(path)), file_(file) {}

  std::string path_;
  std::unique_ptr<gzFile_s, Closer> file_;  // move-only
};

uint32_t BigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Reads the magic number and the dimension sizes, checking the magic against
// `magic` (which encodes the element type and the number of dimensions).
absl::StatusOr<std::vector<uint32_t>> ReadHeader(GzReader& reader,
                                                 uint32_t magic,
                                                 const char* kind) {
  const int dims = static_cast<int>(magic & 0xff);
  std::array<uint8_t, 4 * 4> header;
  const uint64_t header_size = 4 * (1 + dims);
  absl::StatusOr<uint64_t> got = reader.Read(header.data(), header_size);
  if (!got.ok()) return got.status();
  if (*got >= 4) {
    const uint32_t found = BigEndian32(header.data());
    if ((found >> 8) != (magic >> 8)) {
      return absl::DataLossError(absl::StrFormat(
          "%s: bad magic number 0x%08x, expected 0x%08x (IDX %s file of "
          "unsigned bytes)%s",
          reader.path(), found, magic, kind,
          reader.raw() ? "; the file is neither gzip-compressed nor raw IDX"
                       : ""));
    }
    if ((found & 0xff) != static_cast<uint32_t>(dims)) {
      return absl::DataLossError(absl::StrFormat(
          "%s: wrong dimension count: magic 0x%08x declares %d dimensions, "
          "an IDX %s file has %d",
          reader.path(), found, found & 0xff, kind, dims));
    }
  }
  if (*got < header_size) {
    return absl::DataLossError(
        absl::StrFormat("%s: truncated: expected a header of %d bytes, got %d",
                        reader.path(), header_size, *got));
  }
  std::vector<uint32_t> sizes(dims);
  for (int i = 0; i < dims; ++i) sizes[i] = BigEndian32(&header[4 * (i + 1)]);
  if (sizes[0] > static_cast<uint32_t>(INT32_MAX)) {
    return absl::DataLossError(
        absl::StrFormat("%s: implausible item count %u in the header",
                        reader.path(), sizes[0]));
  }
  return sizes;
}

// Reads exactly `expected` bytes of `what` and checks nothing follows them.
// The buffer grows as data arrive, so a corrupt header advertising gigabytes
// fails on the short read rather than on a huge allocation.
absl::StatusOr<std::vector<uint8_t>> ReadBody(GzReader& reader,
                                              uint64_t expected,
                                              const char* what) {
  std::vector<uint8_t> data;
  uint64_t have = 0;
  while (have < expected) {
    const uint64_t target =
        std::min<uint64_t>(expected, std::max<uint64_t>(2 * have, 1 << 22));
    data.resize(target);
    absl::StatusOr<uint64_t> got =
        reader.Read(data.data() + have, target - have);
    if (!got.ok()) return got.status();
    have += *got;
    if (have < target) {
      return absl::DataLossError(
          absl::StrFormat("%s: truncated: expected %d bytes of %s, got %d",
                          reader.path(), expected, what, have));
    }
  }
  absl::StatusOr<uint64_t> extra = reader.CountRemaining();
  if (!extra.ok()) return extra.status();
  if (*extra > 0) {
    return absl::DataLossError(absl::StrFormat(
        "%s: trailing data: %d bytes after the %d bytes of %s the header "
        "advertises",
        reader.path(), *extra, expected, what));
  }
  return data;
}

std::string ImagesPath(const std::string& dir, const char* prefix) {
  return absl::StrCat(dir, "/", prefix, "-images-idx3-ubyte.gz");
}
std::string LabelsPath(const std::string& dir, const char* prefix) {
  return absl::StrCat(dir, "/", prefix, "-labels-idx1-ubyte.gz");
}

struct IdxPair {
  IdxImages images;
  std::vector<uint8_t> labels;
};

// Reads "<dir>/<prefix>-{images,labels}-..." and checks they hold the same
// number of examples, `expected_count` of them.
absl::StatusOr<IdxPair> ReadPair(const std::string& dir, const char* prefix,
                                 int32_t expected_count) {
  const std::string images_path = ImagesPath(dir, prefix);
  const std::string labels_path = LabelsPath(dir, prefix);
  IdxPair pair;
  absl::StatusOr<IdxImages> images = ReadIdxImages(images_path);
  if (!images.ok()) return images.status();
  pair.images = *std::move(images);
  absl::StatusOr<std::vector<uint8_t>> labels = ReadIdxLabels(labels_path);
  if (!labels.ok()) return labels.status();
  pair.labels = *std::move(labels);
  if (static_cast<int64_t>(pair.labels.size()) != pair.images.count) {
    return absl::DataLossError(absl::StrFormat(
        "%s: holds %d labels but %s holds %d images", labels_path,
        pair.labels.size(), images_path, pair.images.count));
  }
  if (pair.images.count != expected_count) {
    return absl::DataLossError(absl::StrFormat(
        "%s: holds %d examples, expected %d (is this Fashion-MNIST?)",
        images_path, pair.images.count, expected_count));
  }
  return pair;
}

// Checks one FashionMnistOptions count; appends a message if it is bad.
void CheckCount(const char* field, int32_t value, int32_t split_size,
                const char* split, std::vector<std::string>& errors) {
  if (value < 0 || value > split_size) {
    errors.push_back(absl::StrFormat(
        "FashionMnistOptions.%s = %d is out of range: the %s split has %d "
        "examples (0 keeps them all)",
        field, value, split, split_size));
  }
}

// The rows first..first+size-1 of the file, or a seeded subset of `wanted`
// of them in file order; see FashionMnistOptions.
std::vector<int32_t> SelectRows(int32_t first, int32_t size, int32_t wanted,
                                uint64_t seed, uint64_t stream) {
  std::vector<int32_t> rows;
  if (wanted == 0 || wanted == size) {
    rows.resize(size);
    for (int32_t i = 0; i < size; ++i) rows[i] = first + i;
    return rows;
  }
  std::mt19937_64 rng(StreamSeed(seed, stream));
  rows = RandomPermutationPrefix(size, wanted, rng);
  std::sort(rows.begin(), rows.end());
  for (int32_t& row : rows) row += first;
  return rows;
}

const std::array<float, 256>& PixelTable() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t;
    for (int x = 0; x < 256; ++x) {
      t[x] = static_cast<float>((x / 255.0 - kPixelMean) / kPixelStd);
    }
    return t;
  }();
  return table;
}

Dataset MakeDataset(const IdxPair& pair, std::vector<int32_t> rows) {
  const std::array<float, 256>& table = PixelTable();
  Dataset data;
  data.images.resize(rows.size() * kFashionMnistPixels);
  data.labels.resize(rows.size());
  float* out = data.images.data();
  for (size_t i = 0; i < rows.size(); ++i) {
    const uint8_t* in = pair.images.pixels.data() +
                        static_cast<size_t>(rows[i]) * kFashionMnistPixels;
    for (int p = 0; p < kFashionMnistPixels; ++p) *out++ = table[in[p]];
    data.labels[i] = pair.labels[rows[i]];
  }
  data.source_index = std::move(rows);
  return data;
}

[[noreturn]] void DieIndexOutOfRange(int32_t index, int32_t size) {
  std::fprintf(stderr, "GatherBatch: index %d out of range [0, %d)\n", index,
               size);
  std::abort();
}

}  // namespace

float NormalizePixel(uint8_t x) { return PixelTable()[x]; }

absl::StatusOr<IdxImages> ReadIdxImages(const std::string& path) {
  absl::StatusOr<GzReader> reader = GzReader::Open(path);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::vector<uint32_t>> sizes =
      ReadHeader(*reader, kImagesMagic, "image");
  if (!sizes.ok()) return sizes.status();
  IdxImages images;
  images.count = static_cast<int32_t>((*sizes)[0]);
  if ((*sizes)[1] != kFashionMnistRows || (*sizes)[2] != kFashionMnistCols) {
    return absl::DataLossError(absl::StrFormat(
        "%s: wrong image size %ux%u, expected %dx%d", path, (*sizes)[1],
        (*sizes)[2], kFashionMnistRows, kFashionMnistCols));
  }
  images.rows = kFashionMnistRows;
  images.cols = kFashionMnistCols;
  absl::StatusOr<std::vector<uint8_t>> pixels = ReadBody(
      *reader, static_cast<uint64_t>(images.count) * kFashionMnistPixels,
      "pixels");
  if (!pixels.ok()) return pixels.status();
  images.pixels = *std::move(pixels);
  return images;
}

absl::StatusOr<std::vector<uint8_t>> ReadIdxLabels(const std::string& path) {
  absl::StatusOr<GzReader> reader = GzReader::Open(path);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::vector<uint32_t>> sizes =
      ReadHeader(*reader, kLabelsMagic, "label");
  if (!sizes.ok()) return sizes.status();
  absl::StatusOr<std::vector<uint8_t>> labels =
      ReadBody(*reader, (*sizes)[0], "labels");
  if (!labels.ok()) return labels.status();
  for (size_t i = 0; i < labels->size(); ++i) {
    if ((*labels)[i] >= kFashionMnistClasses) {
      return absl::DataLossError(
          absl::StrFormat("%s: label %d at index %d is not a class in [0, %d)",
                          path, (*labels)[i], i, kFashionMnistClasses));
    }
  }
  return labels;
}

absl::StatusOr<FashionMnist> LoadFashionMnist(
    const FashionMnistOptions& options) {
  std::vector<std::string> errors;
  if (options.data_dir.empty()) {
    errors.push_back("FashionMnistOptions.data_dir is empty");
  }
  CheckCount("train_examples", options.train_examples, kFashionMnistTrainSplit,
             "train", errors);
  CheckCount("validation_examples", options.validation_examples,
             kFashionMnistValidationSplit, "validation", errors);
  CheckCount("test_examples", options.test_examples, kFashionMnistTestSplit,
             "test", errors);
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  }
  std::error_code error;
  if (!std::filesystem::is_directory(options.data_dir, error)) {
    return absl::NotFoundError(
        absl::StrCat(options.data_dir, ": no such directory; ", kInstallHint));
  }

  FashionMnist result;
  {
    absl::StatusOr<IdxPair> train =
        ReadPair(options.data_dir, "train", kFashionMnistTrainFileExamples);
    if (!train.ok()) return train.status();
    result.train = MakeDataset(
        *train, SelectRows(0, kFashionMnistTrainSplit, options.train_examples,
                           options.subsample_seed, /*stream=*/1));
    result.validation = MakeDataset(
        *train,
        SelectRows(kFashionMnistTrainSplit, kFashionMnistValidationSplit,
                   options.validation_examples, options.subsample_seed,
                   /*stream=*/2));
  }
  if (options.load_test) {
    absl::StatusOr<IdxPair> test =
        ReadPair(options.data_dir, "t10k", kFashionMnistTestFileExamples);
    if (!test.ok()) return test.status();
    result.test = MakeDataset(
        *test, SelectRows(0, kFashionMnistTestSplit, options.test_examples,
                          options.subsample_seed, /*stream=*/3));
  }
  return result;
}

absl::StatusOr<std::shared_ptr<const FashionMnist>> LoadSharedFashionMnist(
    const FashionMnistOptions& options) {
  absl::StatusOr<FashionMnist> data = LoadFashionMnist(options);
  if (!data.ok()) return data.status();
  return std::make_shared<const FashionMnist>(*std::move(data));
}

void GatherBatch(const Dataset& data, absl::Span<const int32_t> indices,
                 float* images, int32_t* labels) {
  const int32_t size = data.size();
  for (size_t i = 0; i < indices.size(); ++i) {
    const int32_t index = indices[i];
    if (index < 0 || index >= size) DieIndexOutOfRange(index, size);
    std::memcpy(images + i * kFashionMnistPixels, data.image(index),
                kFashionMnistPixels * sizeof(float));
    labels[i] = data.labels[index];
  }
}

}  // namespace hero
