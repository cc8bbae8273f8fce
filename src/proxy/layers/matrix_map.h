// Eigen views of flat buffers, as used by every proxy layer kernel.
//
// All proxy tensors are row-major: a [rows x cols] matrix stores row r at
// offset r * cols. A batch of activations is [examples (or tokens) x features]
// and a linear layer's weight is [out x in], the PyTorch convention. These
// aliases wrap raw pointers without copying:
//
//   ConstMatrixMap<float> x(images, n, 784);
//   MatrixMap<float> y(out, n, 256);
//   y.noalias() = x * ConstMatrixMap<float>(w, 256, 784).transpose();
#ifndef HERO_PROXY_LAYERS_MATRIX_MAP_H_
#define HERO_PROXY_LAYERS_MATRIX_MAP_H_

#include <Eigen/Core>
#include <vector>

namespace hero {

template <typename T>
using RowMatrix =
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

template <typename T>
using MatrixMap = Eigen::Map<RowMatrix<T>>;
template <typename T>
using ConstMatrixMap = Eigen::Map<const RowMatrix<T>>;
template <typename T>
using RowVectorMap = Eigen::Map<RowVector<T>>;
template <typename T>
using ConstRowVectorMap = Eigen::Map<const RowVector<T>>;

// Storage for activations and scratch. Eigen's vectorised reductions (row
// sums in LayerNorm and softmax) peel a scalar prologue up to the first
// aligned element, so their rounding depends on the buffer's address modulo
// the packet size; aligned storage makes results reproducible bit for bit.
template <typename T>
using AlignedVector = std::vector<T, Eigen::aligned_allocator<T>>;

}  // namespace hero

#endif  // HERO_PROXY_LAYERS_MATRIX_MAP_H_
