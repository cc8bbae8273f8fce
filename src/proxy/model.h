// Model: a classifier whose parameters live in one flat float32 buffer.
//
// The proxy task trains a Model with a candidate optimizer program. A model
// owns only its architecture and scratch space (activations for up to
// `max_batch` examples), never its parameters: the trainer owns the parameter
// and gradient buffers, laid out as `layout()` says, and hands them in.
//
//   std::unique_ptr<Model> model = MakeMlp(MlpOptions{...},
//   /*max_batch=*/1000); std::vector<float> w(model->layout().size()),
//   g(model->layout().size()); model->Init(/*seed=*/1, w.data()); float loss =
//   model->ForwardBackward(w.data(), images, labels, 128, g.data());
//
// Images are row-major [n x 784] floats (28x28 pixels, already normalised),
// labels are class indices in [0, num_classes).
//
// Thread-safety: a Model is not thread-safe (it owns scratch buffers); use one
// instance per thread. Calls never allocate once the model is constructed.
#ifndef HERO_PROXY_MODEL_H_
#define HERO_PROXY_MODEL_H_

#include <cstdint>

#include "src/interpreter/parameter_layout.h"

namespace hero {

class Model {
 public:
  virtual ~Model() = default;

  // Where each parameter tensor lives in the flat parameter (and gradient)
  // buffer.
  virtual const ParameterLayout& layout() const = 0;
  virtual int num_classes() const = 0;
  // The largest `n` accepted by ForwardBackward and Forward.
  virtual int max_batch() const = 0;

  // Writes the initial parameters (layout().size() floats), deterministically
  // from `seed`, with each layer's usual initialisation.
  virtual void Init(uint64_t seed, float* params) const = 0;

  // Mean softmax cross-entropy of the batch; writes its gradient with respect
  // to every parameter into `grads` (layout().size() floats, overwritten).
  // REQUIRES: 1 <= n <= max_batch().
  virtual float ForwardBackward(const float* params, const float* images,
                                const int32_t* labels, int n, float* grads) = 0;

  // Writes n x num_classes() logits, row-major.
  // REQUIRES: 1 <= n <= max_batch().
  virtual void Forward(const float* params, const float* images, int n,
                       float* logits) = 0;
};

}  // namespace hero

#endif  // HERO_PROXY_MODEL_H_
