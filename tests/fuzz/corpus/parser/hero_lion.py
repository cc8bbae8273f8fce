# Hero-Lion (EvoLved Sign Momentum), the paper's Step 3: Simplify.
def train(w, g, m, v, lr, λ):
  update = interpolate(g, m, 0.9)
  update = sign(update)
  m = interpolate(g, m, 0.99)
  wd = w * λ
  update = update + wd
  update = update * lr
  return update, m, v
