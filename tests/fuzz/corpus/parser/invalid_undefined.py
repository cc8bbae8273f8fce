def train(w, g, m, v):
  update = q * 1_000.5
  return update, m, v
