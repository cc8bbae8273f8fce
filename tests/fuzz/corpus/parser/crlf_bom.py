def train(w, g, m, v):
  update = sign(g)  # c
  update = update * lr
  return update, m, v
