# SGD with (heavy-ball) momentum 0.9 and decoupled weight decay.
def train(w, g, m, v, lr, λ):
  m = m * 0.9
  m = m + g
  wd = w * λ
  update = m + wd
  update = update * lr
  return update, m, v
