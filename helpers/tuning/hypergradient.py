"""Hypergradient descent on the learning rate (notebook 12, 2.6): an optimizer, not a search."""

import numpy as np

from ..optimizers import Optimizer
from ..validation import check_number

class SGDHD(Optimizer):
    """SGD with hypergradient descent on the learning rate (Baydin et al., 2018):

    lr_t = lr_{t-1} + beta g_t . g_{t-1}      (the loss's derivative w.r.t. lr is -g_t . g_{t-1})
    theta <- theta - lr_t g_t
    Two successive gradients that agree -> a bigger lr; that disagree (overshoot) -> smaller.
    beta (hypergrad_lr) is itself a hyperparameter; the paper reports the method much reduces
    the need to tune the initial lr. lr stays >= 0.
    """

    def __init__(self, params, lr=0.01, *, hypergrad_lr=1e-3):
        super().__init__(params, lr)
        self.hypergrad_lr = check_number("hypergrad_lr", hypergrad_lr, low=0)

    def step(self):
        self.t += 1
        dot = sum(float(np.vdot(p.grad, s["prev"])) for p, s in zip(self.params, self.state)
                  if "prev" in s)
        self.lr = max(self.lr + self.hypergrad_lr * dot, 0.0)
        for p, s in zip(self.params, self.state):
            s["prev"] = p.grad.copy()
            p.data -= self.lr * p.grad


