# AdamW, as the paper's Step 1 writes it (the warm start of the search):
# no bias correction, no epsilon (division is a / (b + 1e-8) anyway).
def train(w, g, m, v, lr, λ):
  g2 = square(g)
  m = interpolate(g, m, 0.9)
  v = interpolate(g2, v, 0.999)
  v_sqrt = sqrt(v)
  update = m / v_sqrt
  wd = w * λ
  update = update + wd
  update = update * lr
  return update, m, v
