// NetModel: adapts a float network class to the Model interface.
//
// The proxy networks (MlpNet<T>, VitNet<T>) are templates on the scalar type
// so that tests can run them in double precision; NetModel wraps the float
// instantiation as the engine's Model.
//
//   absl::StatusOr<std::unique_ptr<MlpNet<float>>> net =
//   MlpNet<float>::Create(...); std::unique_ptr<Model> model =
//       std::make_unique<NetModel<MlpNet<float>>>(*std::move(net));
//
// Thread-safety: as the wrapped network (not thread-safe).
#ifndef HERO_PROXY_NET_MODEL_H_
#define HERO_PROXY_NET_MODEL_H_

#include <cstdint>
#include <memory>
#include <utility>

#include "src/interpreter/parameter_layout.h"
#include "src/proxy/model.h"

namespace hero {

// Net must provide Model's methods with float parameters, images and logits.
template <typename Net>
class NetModel final : public Model {
 public:
  explicit NetModel(std::unique_ptr<Net> net) : net_(std::move(net)) {}

  const ParameterLayout& layout() const override { return net_->layout(); }
  int num_classes() const override { return net_->num_classes(); }
  int max_batch() const override { return net_->max_batch(); }
  void Init(uint64_t seed, float* params) const override {
    net_->Init(seed, params);
  }
  float ForwardBackward(const float* params, const float* images,
                        const int32_t* labels, int n, float* grads) override {
    return net_->ForwardBackward(params, images, labels, n, grads);
  }
  void Forward(const float* params, const float* images, int n,
               float* logits) override {
    net_->Forward(params, images, n, logits);
  }

 private:
  std::unique_ptr<Net> net_;
};

}  // namespace hero

#endif  // HERO_PROXY_NET_MODEL_H_
