def train(w, g, m, v):
  s = global_norm(g)
  update = sign(s)
  m = s * 2
  return update, m, v
