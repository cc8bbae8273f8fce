#include "src/interpreter/kernels.h"

#include <array>

#include "src/interpreter/eigen_kernels.h"
#include "src/interpreter/elementwise_ops.h"

namespace hero {
namespace {

using elementwise::Array;
using elementwise::Binary;
using elementwise::BinaryKernel;
using elementwise::Broadcast;
using elementwise::Sink;
using elementwise::Ternary;
using elementwise::TernaryKernel;
using elementwise::Unary;
using elementwise::UnaryKernel;

// One row per op, indexed by BroadcastMask.
struct Row {
  std::array<Kernel, 8> plain{};
  std::array<CheckedKernel, 8> store_checked{};
  std::array<CheckedKernel, 8> subtract_checked{};
  bool needs_aligned_output = false;
};

template <typename Op>
Row UnaryRow() {
  Row row;
  row.plain[0] = UnaryKernel<Op, Array>;
  row.store_checked[0] = Unary<Op, Array, Sink::kStoreChecked>;
  row.subtract_checked[0] = Unary<Op, Array, Sink::kSubtractChecked>;
  return row;
}

template <typename Op>
Row BinaryRow() {
  Row row;
  row.plain = {BinaryKernel<Op, Array, Array>,
               BinaryKernel<Op, Broadcast, Array>,
               BinaryKernel<Op, Array, Broadcast>};
  row.store_checked = {Binary<Op, Array, Array, Sink::kStoreChecked>,
                       Binary<Op, Broadcast, Array, Sink::kStoreChecked>,
                       Binary<Op, Array, Broadcast, Sink::kStoreChecked>};
  row.subtract_checked = {Binary<Op, Array, Array, Sink::kSubtractChecked>,
                          Binary<Op, Broadcast, Array, Sink::kSubtractChecked>,
                          Binary<Op, Array, Broadcast, Sink::kSubtractChecked>};
  return row;
}

// Masks 0..6: every combination but "all three broadcast".
template <typename Op, Sink kSink>
std::array<CheckedKernel, 8> TernaryChecked() {
  using A = Array;
  using B = Broadcast;
  return {Ternary<Op, A, A, A, kSink>, Ternary<Op, B, A, A, kSink>,
          Ternary<Op, A, B, A, kSink>, Ternary<Op, B, B, A, kSink>,
          Ternary<Op, A, A, B, kSink>, Ternary<Op, B, A, B, kSink>,
          Ternary<Op, A, B, B, kSink>};
}

template <typename Op>
Row TernaryRow() {
  using A = Array;
  using B = Broadcast;
  Row row;
  row.plain = {TernaryKernel<Op, A, A, A>, TernaryKernel<Op, B, A, A>,
               TernaryKernel<Op, A, B, A>, TernaryKernel<Op, B, B, A>,
               TernaryKernel<Op, A, A, B>, TernaryKernel<Op, B, A, B>,
               TernaryKernel<Op, A, B, B>};
  row.store_checked = TernaryChecked<Op, Sink::kStoreChecked>();
  row.subtract_checked = TernaryChecked<Op, Sink::kSubtractChecked>();
  return row;
}

// Eigen-based kernels: plain only, for mask 0.
Row EigenRow(Kernel k) {
  Row row;
  row.plain[0] = k;
  row.needs_aligned_output = true;
  return row;
}

Row RowFor(OpCode op) {
  namespace ek = eigen_kernels;
  switch (op) {
    case OpCode::kAdd:
      return BinaryRow<elementwise::AddOp>();
    case OpCode::kSub:
      return BinaryRow<elementwise::SubOp>();
    case OpCode::kMul:
      return BinaryRow<elementwise::MulOp>();
    case OpCode::kDiv:
      return BinaryRow<elementwise::DivOp>();
    case OpCode::kMax:
      return BinaryRow<elementwise::MaxOp>();
    case OpCode::kMin:
      return BinaryRow<elementwise::MinOp>();
    case OpCode::kPower:
      return BinaryRow<elementwise::PowerOp>();
    case OpCode::kInterpolate:
      return TernaryRow<elementwise::InterpolateOp>();
    case OpCode::kAbs:
      return UnaryRow<elementwise::AbsOp>();
    case OpCode::kCos:
      return EigenRow(ek::Cos);
    case OpCode::kSin:
      return EigenRow(ek::Sin);
    case OpCode::kTan:
      return UnaryRow<elementwise::TanOp>();
    case OpCode::kArcsin:
      return UnaryRow<elementwise::ArcsinOp>();
    case OpCode::kArccos:
      return UnaryRow<elementwise::ArccosOp>();
    case OpCode::kArctan:
      return UnaryRow<elementwise::ArctanOp>();
    case OpCode::kSinh:
      return UnaryRow<elementwise::SinhOp>();
    case OpCode::kCosh:
      return UnaryRow<elementwise::CoshOp>();
    case OpCode::kTanh:
      return EigenRow(ek::Tanh);
    case OpCode::kArcsinh:
      return UnaryRow<elementwise::ArcsinhOp>();
    case OpCode::kArccosh:
      return UnaryRow<elementwise::ArccoshOp>();
    case OpCode::kArctanh:
      return UnaryRow<elementwise::ArctanhOp>();
    case OpCode::kExp:
      return EigenRow(ek::Exp);
    case OpCode::kExp2:
      return UnaryRow<elementwise::Exp2Op>();
    case OpCode::kExp10:
      return UnaryRow<elementwise::Exp10Op>();
    case OpCode::kExpm1:
      return EigenRow(ek::Expm1);
    case OpCode::kLog:
      return EigenRow(ek::Log);
    case OpCode::kLog10:
      return UnaryRow<elementwise::Log10Op>();
    case OpCode::kLog2:
      return EigenRow(ek::Log2);
    case OpCode::kLog1p:
      return EigenRow(ek::Log1p);
    case OpCode::kSquare:
      return UnaryRow<elementwise::SquareOp>();
    case OpCode::kSqrt:
      return UnaryRow<elementwise::SqrtOp>();
    case OpCode::kCube:
      return UnaryRow<elementwise::CubeOp>();
    case OpCode::kCbrt:
      return UnaryRow<elementwise::CbrtOp>();
    case OpCode::kSign:
      return UnaryRow<elementwise::SignOp>();
    case OpCode::kReciprocal:
      return UnaryRow<elementwise::ReciprocalOp>();
    case OpCode::kNegative:
      return UnaryRow<elementwise::NegativeOp>();
    // Not elementwise: the interpreter lowers these itself.
    case OpCode::kNorm:
    case OpCode::kGlobalNorm:
    case OpCode::kDot:
    case OpCode::kCosineSim:
    case OpCode::kClipByGlobalNorm:
    case OpCode::kPi:
    case OpCode::kE:
    case OpCode::kEps:
      break;
  }
  return Row{};
}

const std::array<Row, kNumOps>& Table() {
  static const std::array<Row, kNumOps> table = [] {
    std::array<Row, kNumOps> t{};
    for (int i = 0; i < kNumOps; ++i) t[i] = RowFor(static_cast<OpCode>(i));
    return t;
  }();
  return table;
}

}  // namespace

Kernel GetKernel(OpCode op, BroadcastMask broadcast) {
  return Table()[static_cast<int>(op)].plain[broadcast & 7];
}

CheckedKernel GetCheckedKernel(OpCode op, BroadcastMask broadcast,
                               OutputMode mode) {
  const Row& row = Table()[static_cast<int>(op)];
  return mode == OutputMode::kSubtract ? row.subtract_checked[broadcast & 7]
                                       : row.store_checked[broadcast & 7];
}

bool KernelNeedsAlignedOutput(OpCode op) {
  return Table()[static_cast<int>(op)].needs_aligned_output;
}

}  // namespace hero
