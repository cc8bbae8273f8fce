// IDX reader and loader errors on small synthetic files written to
// TEST_TMPDIR: each malformed file must give a DataLoss / NotFound status
// whose message starts with the path and says what is wrong.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/proxy/fashion_mnist.h"

namespace hero {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string TempDir(const std::string& name) {
  const char* root = std::getenv("TEST_TMPDIR");
  const std::string dir =
      absl::StrCat(root != nullptr ? root : "/tmp", "/idx_test_", name);
  std::filesystem::create_directories(dir);
  return dir;
}

void AppendBigEndian(uint32_t value, std::vector<uint8_t>& out) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(value >> shift);
}

// An IDX file: magic, dimension sizes, then `body`.
std::vector<uint8_t> Idx(uint32_t magic, const std::vector<uint32_t>& dims,
                         const std::vector<uint8_t>& body) {
  std::vector<uint8_t> out;
  AppendBigEndian(magic, out);
  for (uint32_t d : dims) AppendBigEndian(d, out);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// `count` 28x28 images; image i has pixel p equal to (i + p) % 256.
std::vector<uint8_t> Pixels(int count) {
  std::vector<uint8_t> pixels(count * kFashionMnistPixels);
  for (size_t k = 0; k < pixels.size(); ++k) {
    pixels[k] = (k / kFashionMnistPixels + k % kFashionMnistPixels) % 256;
  }
  return pixels;
}

void WriteGz(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr) << path;
  ASSERT_EQ(gzwrite(file, bytes.data(), bytes.size()),
            static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(file), Z_OK);
}

void WriteRaw(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  ASSERT_TRUE(out.good()) << path;
}

std::vector<uint8_t> ReadRaw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Expects `status` to have `code` and a message "<path>: ...<detail>...".
void ExpectError(const absl::Status& status, absl::StatusCode code,
                 const std::string& path, const std::string& detail) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_THAT(std::string(status.message()), StartsWith(path + ": "));
  EXPECT_THAT(std::string(status.message()), HasSubstr(detail));
}

TEST(IdxReaderTest, ReadsValidGzipImagesAndLabels) {
  const std::string dir = TempDir("valid");
  WriteGz(dir + "/i.gz", Idx(0x803, {3, 28, 28}, Pixels(3)));
  WriteGz(dir + "/l.gz", Idx(0x801, {3}, {7, 0, 9}));
  absl::StatusOr<IdxImages> images = ReadIdxImages(dir + "/i.gz");
  ASSERT_TRUE(images.ok()) << images.status();
  EXPECT_EQ(images->count, 3);
  EXPECT_EQ(images->rows, 28);
  EXPECT_EQ(images->cols, 28);
  EXPECT_EQ(images->pixels, Pixels(3));
  absl::StatusOr<std::vector<uint8_t>> labels = ReadIdxLabels(dir + "/l.gz");
  ASSERT_TRUE(labels.ok()) << labels.status();
  EXPECT_EQ(*labels, (std::vector<uint8_t>{7, 0, 9}));
}

TEST(IdxReaderTest, ReadsUncompressedFiles) {
  const std::string dir = TempDir("raw");
  WriteRaw(dir + "/i", Idx(0x803, {2, 28, 28}, Pixels(2)));
  absl::StatusOr<IdxImages> images = ReadIdxImages(dir + "/i");
  ASSERT_TRUE(images.ok()) << images.status();
  EXPECT_EQ(images->pixels, Pixels(2));
}

TEST(IdxReaderTest, ZeroImagesIsValid) {
  const std::string dir = TempDir("empty");
  WriteGz(dir + "/i.gz", Idx(0x803, {0, 28, 28}, {}));
  absl::StatusOr<IdxImages> images = ReadIdxImages(dir + "/i.gz");
  ASSERT_TRUE(images.ok()) << images.status();
  EXPECT_EQ(images->count, 0);
}

TEST(IdxReaderTest, TruncatedPixels) {
  const std::string path = TempDir("truncated") + "/i.gz";
  WriteGz(path, Idx(0x803, {3, 28, 28}, Pixels(2)));
  ExpectError(ReadIdxImages(path).status(), absl::StatusCode::kDataLoss, path,
              "truncated: expected 2352 bytes of pixels, got 1568");
}

TEST(IdxReaderTest, TruncatedHeader) {
  const std::string path = TempDir("short_header") + "/i.gz";
  WriteGz(path, {0, 0, 8, 3, 0, 0});
  ExpectError(ReadIdxImages(path).status(), absl::StatusCode::kDataLoss, path,
              "truncated: expected a header of 16 bytes, got 6");
}

TEST(IdxReaderTest, EmptyFile) {
  const std::string path = TempDir("empty_file") + "/l.gz";
  WriteGz(path, {});
  ExpectError(ReadIdxLabels(path).status(), absl::StatusCode::kDataLoss, path,
              "truncated: expected a header of 8 bytes, got 0");
}

TEST(IdxReaderTest, TrailingData) {
  const std::string path = TempDir("trailing") + "/l.gz";
  WriteGz(path, Idx(0x801, {3}, {1, 2, 3, 4, 5}));
  ExpectError(ReadIdxLabels(path).status(), absl::StatusCode::kDataLoss, path,
              "trailing data: 2 bytes after the 3 bytes of labels");
}

TEST(IdxReaderTest, CorruptMagic) {
  const std::string path = TempDir("magic") + "/i.gz";
  WriteGz(path, Idx(0x903, {1, 28, 28}, Pixels(1)));
  ExpectError(ReadIdxImages(path).status(), absl::StatusCode::kDataLoss, path,
              "bad magic number 0x00000903, expected 0x00000803");
}

TEST(IdxReaderTest, WrongDimensionCount) {
  const std::string dir = TempDir("dims");
  // A label file where an image file is expected, and vice versa.
  WriteGz(dir + "/i.gz", Idx(0x801, {3}, {1, 2, 3}));
  ExpectError(ReadIdxImages(dir + "/i.gz").status(),
              absl::StatusCode::kDataLoss, dir + "/i.gz",
              "wrong dimension count: magic 0x00000801 declares 1 dimensions");
  WriteGz(dir + "/l.gz", Idx(0x803, {1, 28, 28}, Pixels(1)));
  ExpectError(ReadIdxLabels(dir + "/l.gz").status(),
              absl::StatusCode::kDataLoss, dir + "/l.gz",
              "declares 3 dimensions, an IDX label file has 1");
}

TEST(IdxReaderTest, WrongImageSize) {
  const std::string path = TempDir("size") + "/i.gz";
  WriteGz(path, Idx(0x803, {1, 32, 32}, std::vector<uint8_t>(32 * 32)));
  ExpectError(ReadIdxImages(path).status(), absl::StatusCode::kDataLoss, path,
              "wrong image size 32x32, expected 28x28");
}

TEST(IdxReaderTest, LabelOutOfRange) {
  const std::string path = TempDir("label") + "/l.gz";
  WriteGz(path, Idx(0x801, {4}, {0, 9, 10, 3}));
  ExpectError(ReadIdxLabels(path).status(), absl::StatusCode::kDataLoss, path,
              "label 10 at index 2 is not a class in [0, 10)");
}

TEST(IdxReaderTest, NotGzipGarbage) {
  const std::string path = TempDir("garbage") + "/i.gz";
  const std::string text = "this is not an IDX file at all";
  WriteRaw(path, std::vector<uint8_t>(text.begin(), text.end()));
  ExpectError(ReadIdxImages(path).status(), absl::StatusCode::kDataLoss, path,
              "neither gzip-compressed nor raw IDX");
}

TEST(IdxReaderTest, CorruptGzipStream) {
  const std::string path = TempDir("corrupt_gz") + "/i.gz";
  // A gzip header (magic, deflate, no flags, mtime, xfl, os) followed by a
  // deflate block of the reserved type 3.
  WriteRaw(path, {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff});
  ExpectError(ReadIdxImages(path).status(), absl::StatusCode::kDataLoss, path,
              "gzip error");
}

TEST(IdxReaderTest, TruncatedGzipStream) {
  const std::string dir = TempDir("cut_gz");
  WriteGz(dir + "/full.gz", Idx(0x803, {50, 28, 28}, Pixels(50)));
  std::vector<uint8_t> bytes = ReadRaw(dir + "/full.gz");
  ASSERT_GT(bytes.size(), 100u);
  bytes.resize(bytes.size() / 2);
  WriteRaw(dir + "/cut.gz", bytes);
  ExpectError(ReadIdxImages(dir + "/cut.gz").status(),
              absl::StatusCode::kDataLoss, dir + "/cut.gz",
              "gzip error: unexpected end of file (the compressed file is "
              "truncated)");
}

TEST(IdxReaderTest, MissingFileNamesTheFix) {
  const std::string path = TempDir("missing") + "/train-images-idx3-ubyte.gz";
  const absl::Status status = ReadIdxImages(path).status();
  ExpectError(status, absl::StatusCode::kNotFound, path, "no such file");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("apt-get install dataset-fashion-mnist"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("data_dir"));
}

TEST(LoadFashionMnistTest, MissingDirectoryNamesTheFix) {
  FashionMnistOptions options;
  options.data_dir = TempDir("parent") + "/does_not_exist";
  const absl::Status status = LoadFashionMnist(options).status();
  ExpectError(status, absl::StatusCode::kNotFound, options.data_dir,
              "no such directory");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("apt-get install dataset-fashion-mnist"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("--data_dir"));
}

TEST(LoadFashionMnistTest, EmptyDirectoryNamesTheFirstMissingFile) {
  FashionMnistOptions options;
  options.data_dir = TempDir("empty_dir");
  const absl::Status status = LoadFashionMnist(options).status();
  ExpectError(status, absl::StatusCode::kNotFound,
              options.data_dir + "/train-images-idx3-ubyte.gz",
              "apt-get install dataset-fashion-mnist");
}

TEST(LoadFashionMnistTest, MismatchedCounts) {
  FashionMnistOptions options;
  options.data_dir = TempDir("mismatch");
  WriteGz(options.data_dir + "/train-images-idx3-ubyte.gz",
          Idx(0x803, {3, 28, 28}, Pixels(3)));
  WriteGz(options.data_dir + "/train-labels-idx1-ubyte.gz",
          Idx(0x801, {4}, {1, 2, 3, 4}));
  ExpectError(LoadFashionMnist(options).status(), absl::StatusCode::kDataLoss,
              options.data_dir + "/train-labels-idx1-ubyte.gz",
              "holds 4 labels but " + options.data_dir +
                  "/train-images-idx3-ubyte.gz holds 3 images");
}

TEST(LoadFashionMnistTest, WrongExampleCount) {
  FashionMnistOptions options;
  options.data_dir = TempDir("wrong_count");
  WriteGz(options.data_dir + "/train-images-idx3-ubyte.gz",
          Idx(0x803, {3, 28, 28}, Pixels(3)));
  WriteGz(options.data_dir + "/train-labels-idx1-ubyte.gz",
          Idx(0x801, {3}, {1, 2, 3}));
  ExpectError(LoadFashionMnist(options).status(), absl::StatusCode::kDataLoss,
              options.data_dir + "/train-images-idx3-ubyte.gz",
              "holds 3 examples, expected 60000");
}

TEST(LoadFashionMnistTest, BadOptionsAreReportedTogetherByField) {
  FashionMnistOptions options;
  options.data_dir = "";
  options.train_examples = 50001;
  options.validation_examples = -1;
  options.test_examples = 10000;  // the whole split: fine
  const absl::Status status = LoadFashionMnist(options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::string message(status.message());
  EXPECT_THAT(message, HasSubstr("FashionMnistOptions.data_dir is empty"));
  EXPECT_THAT(message,
              HasSubstr("FashionMnistOptions.train_examples = 50001 is out of "
                        "range: the train split has 50000 examples"));
  EXPECT_THAT(message,
              HasSubstr("FashionMnistOptions.validation_examples = -1"));
  EXPECT_THAT(message, testing::Not(HasSubstr("test_examples")));
}

}  // namespace
}  // namespace hero
