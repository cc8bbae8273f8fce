# Variable names that are keywords or builtins of Python or C++, or names
# the generated code uses itself: the exports must rename them and still
# compute what hero computes (tests/export).
def train(w, g, m, v, lr, λ):
  lambda = sign(g)
  float = interpolate(g, m, 0.9)
  i = float * lambda
  Sign = abs(i)
  _sign = Sign + 1.0
  reduced_0 = global_norm(g)
  self = g * reduced_0
  torch = norm(self)
  np = torch * eps
  params = np + i
  Interpolate = lr * 2.0
  m = interpolate(g, m, 0.99)
  group = w * λ
  update = params + group
  update = update * Interpolate
  return update, m, v
