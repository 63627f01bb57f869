"""Optimizers: the update rules of `torch.optim`, step for step (introduced in notebook 06).

All share one interface, as in PyTorch:
    opt = Adam(model.parameters(), lr=1e-3)
    opt.zero_grad(); ...backward...; opt.step()
Hyperparameters are attributes (`opt.lr` may be changed between steps, which is how a
schedule works); the per-parameter state (velocities, moments) lives in `opt.state`.
g below is a parameter's gradient, theta the parameter, t the step count from 1.
"""

import numpy as np

from .params import Param
from .validation import check_nonnegative, check_number, check_positive, check_probability


class Optimizer:
    """Base class: holds the parameters, the learning rate and the per-parameter state."""

    def __init__(self, params, lr):
        self.params = list(params)
        if not self.params:
            raise ValueError("params is empty: pass model.parameters()")
        for p in self.params:
            if not isinstance(p, Param):
                raise ValueError(f"params must hold Param objects, got {type(p).__name__}")
        self.lr = check_nonnegative("lr", lr)
        self.t = 0
        self.state = [{} for _ in self.params]

    def zero_grad(self):
        """Set every gradient to zero (backward adds into .grad, as in PyTorch)."""
        for p in self.params:
            p.zero_grad()

    def step(self):
        """Apply one update to every parameter."""
        self.t += 1
        for p, state in zip(self.params, self.state):
            self._update(p, state)

    def _update(self, p, state):
        raise NotImplementedError

    def __repr__(self):
        knobs = ", ".join(f"{k}={v}" for k, v in vars(self).items()
                          if k not in ("params", "state", "t"))
        return f"{type(self).__name__}({knobs})"


class SGD(Optimizer):
    """g <- g + weight_decay theta
    b <- momentum b + g   (b = g at the first step)
    g <- g + momentum b if nesterov else b      (when momentum > 0)
    theta <- theta - lr g
    """

    def __init__(self, params, lr=0.01, *, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(params, lr)
        self.momentum = check_probability("momentum", momentum)
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs momentum > 0")
        self.nesterov = bool(nesterov)
        self.weight_decay = check_nonnegative("weight_decay", weight_decay)

    def _update(self, p, state):
        g = p.grad
        if self.weight_decay:
            g = g + self.weight_decay * p.data
        if self.momentum:
            if "b" not in state:
                state["b"] = g.copy()
            else:
                state["b"] *= self.momentum
                state["b"] += g
            g = g + self.momentum * state["b"] if self.nesterov else state["b"]
        if "step" not in state:  # a kept buffer: a fresh temporary each step costs page faults
            state["step"] = np.empty_like(p.data)
        step = np.multiply(g, self.lr, out=state["step"])
        p.data -= step


class RMSprop(Optimizer):
    """v <- alpha v + (1 - alpha) g^2
    theta <- theta - lr g / (sqrt(v) + eps)               (momentum = 0)
    b <- momentum b + g / (sqrt(v) + eps); theta <- theta - lr b   (momentum > 0)
    torch's defaults and eps placement; Keras' RMSprop divides by sqrt(v + eps), eps=1e-7,
    rho=0.9, lr=1e-3 (notebook 06 computes what that changes).
    """

    def __init__(self, params, lr=0.01, *, alpha=0.99, eps=1e-8, momentum=0.0):
        super().__init__(params, lr)
        self.alpha = check_probability("alpha", alpha)
        self.eps = check_positive("eps", eps)
        self.momentum = check_probability("momentum", momentum)

    def _update(self, p, state):
        g = p.grad
        v = state.setdefault("v", np.zeros_like(p.data))
        v *= self.alpha
        v += (1 - self.alpha) * g * g
        step = g / (np.sqrt(v) + self.eps)
        if self.momentum:
            b = state.setdefault("b", np.zeros_like(p.data))
            b *= self.momentum
            b += step
            step = b
        p.data -= self.lr * step


class Adagrad(Optimizer):
    """s <- s + g^2;  theta <- theta - lr g / (sqrt(s) + eps): steps shrink as s only grows."""

    def __init__(self, params, lr=0.01, *, eps=1e-10):
        super().__init__(params, lr)
        self.eps = check_positive("eps", eps)

    def _update(self, p, state):
        s = state.setdefault("s", np.zeros_like(p.data))
        s += p.grad * p.grad
        p.data -= self.lr * p.grad / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Kingma & Ba (2015), with L2 folded into the gradient as torch.optim.Adam does:

    g <- g + weight_decay theta
    m <- beta1 m + (1 - beta1) g;   v <- beta2 v + (1 - beta2) g^2
    m_hat = m / (1 - beta1^t);      v_hat = v / (1 - beta2^t)       (bias correction)
    theta <- theta - lr m_hat / (sqrt(v_hat) + eps)
    Keras' Adam adds its eps (1e-7) to sqrt(v), not sqrt(v_hat): Kingma & Ba's "eps hat".
    """

    decoupled = False

    def __init__(self, params, lr=1e-3, *, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr)
        self.beta1 = check_probability("beta1", beta1)
        self.beta2 = check_probability("beta2", beta2)
        self.eps = check_positive("eps", eps)
        self.weight_decay = check_nonnegative("weight_decay", weight_decay)

    def _update(self, p, state):
        g = p.grad
        if self.weight_decay and self.decoupled:
            # AdamW: shrink the weights directly, outside the adaptive scaling
            p.data *= 1 - self.lr * self.weight_decay
        elif self.weight_decay:
            g = g + self.weight_decay * p.data
        m = state.setdefault("m", np.zeros_like(p.data))
        v = state.setdefault("v", np.zeros_like(p.data))
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        m_hat_scale = 1.0 / (1 - self.beta1**self.t)
        v_hat_scale = 1.0 / (1 - self.beta2**self.t)
        p.data -= (self.lr * m_hat_scale) * m / (np.sqrt(v * v_hat_scale) + self.eps)


class AdamW(Adam):
    """Loshchilov & Hutter (2019): decoupled weight decay, theta <- theta (1 - lr weight_decay),
    then the Adam step without any L2 term in g. Default weight_decay=0.01 as in torch."""

    decoupled = True

    def __init__(self, params, lr=1e-3, *, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(params, lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)


def grad_norm(params):
    """The global L2 norm of all gradients together: sqrt(sum over params of sum g^2)."""
    return float(np.sqrt(sum(float(np.sum(p.grad.astype(np.float64) ** 2)) for p in params)))


def clip_grad_norm_(params, max_norm):
    """Scale all gradients together so that their global L2 norm is at most max_norm.

    Returns the norm before clipping (as torch.nn.utils.clip_grad_norm_).
    """
    max_norm = check_number("max_norm", max_norm, low=0, low_open=True)
    params = list(params)
    total = grad_norm(params)
    if total > max_norm:
        scale = max_norm / (total + 1e-6)
        for p in params:
            p.grad *= scale
    return total


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW}
