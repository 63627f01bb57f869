"""Optimizers: the update rules of `torch.optim`, step for step (introduced in notebook 06).

All share one interface, as in PyTorch:
    opt = Adam(model.parameters(), lr=1e-3)
    opt.zero_grad(); ...backward...; opt.step()
Hyperparameters are attributes (`opt.lr` may be changed between steps, which is how a
schedule works); the per-parameter state (velocities, moments) lives in `opt.state`.
g below is a parameter's gradient, theta the parameter, t the step count from 1.

Parameter groups, as in torch.optim: pass a list of dicts instead of a list of Params,
    AdamW([{"params": matrices, "weight_decay": 0.1},
           {"params": biases_and_norms, "weight_decay": 0.0}], lr=6e-4)
Each group may set "lr_scale" (its learning rate is opt.lr * lr_scale, so a schedule that sets
opt.lr moves every group together; timm names it the same) and, for the optimizers that have
one (SGD, Adam, AdamW), "weight_decay" (replaces the optimizer's). GPT training decays only
the weight matrices (notebook 13); µP gives hidden matrices their own lr_scale (notebook 14).
"""

import numpy as np

from .params import Param
from .validation import check_nonnegative, check_number, check_positive, check_probability


class Optimizer:
    """Base class: holds the parameters, the learning rate and the per-parameter state."""

    #: what a parameter group may set besides "params" (SGD and Adam add "weight_decay")
    group_options = ("lr_scale",)

    def __init__(self, params, lr):
        self.param_groups = _param_groups(params, self.group_options)
        self.params = [p for group in self.param_groups for p in group["params"]]
        self.lr = check_nonnegative("lr", lr)
        self.t = 0
        self.state = [{} for _ in self.params]

    def zero_grad(self):
        """Set every gradient to zero (backward adds into .grad, as in PyTorch)."""
        for p in self.params:
            p.zero_grad()

    def step(self):
        """Apply one update to every parameter, group by group.

        While a group is updated, self.lr is opt.lr * the group's lr_scale and
        self.weight_decay the group's (if it sets one), so every `_update` (ours or a
        subclass's) reads its group's values; both are restored afterwards."""
        self.t += 1
        lr, decay = self.lr, getattr(self, "weight_decay", None)
        states = iter(self.state)
        try:
            for group in self.param_groups:
                self.lr = lr * group.get("lr_scale", 1.0)
                if "weight_decay" in group:
                    self.weight_decay = group["weight_decay"]
                for p in group["params"]:
                    self._update(p, next(states))
                if "weight_decay" in group:
                    self.weight_decay = decay
        finally:
            self.lr = lr
            if decay is not None:
                self.weight_decay = decay

    def _update(self, p, state):
        raise NotImplementedError

    def __repr__(self):
        knobs = ", ".join(f"{k}={v}" for k, v in vars(self).items()
                          if k not in ("params", "param_groups", "state", "t"))
        return f"{type(self).__name__}({knobs})"


class SGD(Optimizer):
    """g <- g + weight_decay theta
    b <- momentum b + g   (b = g at the first step)
    g <- g + momentum b if nesterov else b      (when momentum > 0)
    theta <- theta - lr g
    """

    group_options = ("lr_scale", "weight_decay")

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
    group_options = ("lr_scale", "weight_decay")

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
        if "m" not in state:  # kept buffers: fresh temporaries each step cost page faults
            state.update(m=np.zeros_like(p.data), v=np.zeros_like(p.data),
                         step=np.empty_like(p.data), denom=np.empty_like(p.data))
        m, v, step, denom = state["m"], state["v"], state["step"], state["denom"]
        m *= self.beta1
        m += np.multiply(g, 1 - self.beta1, out=step)               # (1 - beta1) g
        v *= self.beta2
        v += np.multiply(np.multiply(g, 1 - self.beta2, out=step), g, out=step)  # (1 - beta2) g^2
        m_hat_scale = 1.0 / (1 - self.beta1**self.t)
        v_hat_scale = 1.0 / (1 - self.beta2**self.t)
        np.sqrt(np.multiply(v, v_hat_scale, out=denom), out=denom)
        denom += self.eps                                           # sqrt(v_hat) + eps
        np.multiply(m, self.lr * m_hat_scale, out=step)             # lr m_hat
        p.data -= np.divide(step, denom, out=step)


class AdamW(Adam):
    """Loshchilov & Hutter (2019): decoupled weight decay, theta <- theta (1 - lr weight_decay),
    then the Adam step without any L2 term in g. Default weight_decay=0.01 as in torch."""

    decoupled = True

    def __init__(self, params, lr=1e-3, *, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(params, lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)


def _param_groups(params, options):
    """The groups of `params` (Params, or dicts with "params" and some of `options`), checked:
    every Param a Param, none in two groups, no unknown key, lr_scale and weight_decay >= 0."""
    params = list(params)
    if not params:
        raise ValueError("params is empty: pass model.parameters()")
    dicts = [isinstance(g, dict) for g in params]
    if any(dicts) and not all(dicts):
        raise ValueError("params must be all Params or all dicts (parameter groups)")
    if not any(dicts):
        params = [{"params": params}]  # a plain list of Params: one group
    groups, seen = [], set()
    for i, group in enumerate(params):
        unknown = set(group) - {"params", *options}
        if unknown or "params" not in group:
            raise ValueError(f"parameter group {i} has keys {sorted(group)}; allowed: 'params' "
                             f"(required), {', '.join(repr(o) for o in options)}")
        group = dict(group, params=list(group["params"]))
        for p in group["params"]:
            if not isinstance(p, Param):
                raise ValueError(f"params must hold Param objects, got {type(p).__name__}")
            if id(p) in seen:
                raise ValueError(f"a Param ({p!r}) appears twice in params")
            seen.add(id(p))
        for key in ("lr_scale", "weight_decay"):
            if key in group:
                group[key] = check_nonnegative(f"parameter group {i}'s {key}", group[key])
        groups.append(group)
    if not seen:
        raise ValueError("params is empty: pass model.parameters()")
    return groups


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
