# The paper's ablation ("Ablation Study"): sign of a single momentum,
# m = interpolate(g, m, 0.9); update = sign(m) (signSGD with momentum).
def train(w, g, m, v, lr, λ):
  m = interpolate(g, m, 0.9)
  update = sign(m)
  wd = w * λ
  update = update + wd
  update = update * lr
  return update, m, v
