# The program the paper's search found (Step 2: Evolve), as printed there.
# The incoming `m` is overwritten before it is read, so only `v` carries
# state; `hero simplify` turns this into hero_lion.py.
def train(w, g, m, v, lr, λ):
  g = clip_by_global_norm(g, 1.0)
  g = arcsin(g)
  m = interpolate(g, v, 0.9)
  m2 = square(m)
  v = interpolate(g, m, 1.1)
  m_abs = sqrt(m2)
  update = m / m_abs
  wd = w * λ
  update = update + wd
  update = update * lr
  return update, m, v
