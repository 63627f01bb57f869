"""helpers: a small, readable neural-network library in numpy, written for this course.

One module per concept; read them in this order:
    params        Param: an array and its gradient
    layers        Module, Linear, Embedding, Flatten, Sequential
    activations   ReLU, LeakyReLU, ELU, GELU, Sigmoid, Tanh, Softplus, Identity
    initializers  zeros ... he_normal, lecun_normal (torch.nn.init's formulas)
    mlp           make_mlp
    losses        MSELoss, L1Loss, HuberLoss, BCEWithLogitsLoss, CrossEntropyLoss
    optimizers    SGD, RMSprop, Adagrad, Adam, AdamW, grad_norm, clip_grad_norm_
    schedules     constant, step_decay, exponential_decay, inverse_time_decay, cosine_decay,
                  cosine_restarts, warmup, one_cycle
    regularization  Dropout, BatchNorm1d, penalty, EarlyStopping
    attention     CausalSelfAttention (multi-head, causal, batched over heads)
    transformer   LayerNorm, TransformerBlock, GPT (GPT-2 init, a µP option, AdamW groups)
    training      train_step, fit, evaluate, predict, History
    callbacks     Callback, EarlyStopping, ReduceLROnPlateau (fit's callbacks=[...])
    monitors      HealthMonitor, plot_health, plot_histograms: per-layer health while training
    sanity        checks before training: initial loss, overfit one batch, baselines
    data          the Playground data sets, moons, digits, splitting and batching
    gradcheck     rel_error, numerical_gradient, check_layer, check_loss
    diagnostics   per-layer statistics, gradient norms, dead units
    plots, widgets, exercises   what the notebooks show and ask
The modules of single notebooks build on those: width (03), nonlinearity (04),
robust_regression (05), surfaces (06), lr_finder (07), batch_size (08), epochs (09),
overfitting (10), debugging (11), tuning (12), gpt3 (13), scaling (14), playground (15).
Everything is float32 by default (dtype=np.float64 where precision matters, as in gradient
checks), and every random choice takes a seed.
"""

import sys as _sys

# before any module's newer syntax fails obscurely: say which Python is needed
if _sys.version_info < (3, 11):
    raise ImportError(f"The course needs Python 3.11 or newer; this is Python "
                      f"{_sys.version_info[0]}.{_sys.version_info[1]}. Install a newer Python "
                      f"(python.org, or your system's python3.11/3.12 package) and use it.")

from . import diagnostics, exercises, plots, schedules, widgets  # noqa: F401 (hp.plots, ...)
from . import callbacks, monitors, sanity  # noqa: F401 (hp.sanity.overfit_one_batch, ...)
from .activations import (ACTIVATIONS, ELU, GELU, Identity, LeakyReLU, ReLU, Sigmoid, Softplus,
                          Tanh, get_activation, sigmoid)
from .attention import CausalSelfAttention
from .callbacks import Callback, ReduceLROnPlateau
from .data import (Standardizer, load_digits, make_circle, make_dataset, make_gauss, make_moons,
                   make_outlier_regression, make_reg_gauss, make_reg_plane, make_spiral, make_xor,
                   minibatches, num_batches, train_val_split)
from .gradcheck import check_layer, check_loss, numerical_gradient, rel_error
from .initializers import (INITIALIZERS, calculate_gain, constant, get_initializer, he_normal,
                           he_uniform, lecun_normal, normal, uniform, xavier_normal,
                           xavier_uniform, zeros)
from .layers import Embedding, Flatten, Linear, Module, Sequential, count_parameters
from .losses import (BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss,
                     log_softmax, softmax)
from .mlp import make_mlp
from .monitors import HealthMonitor, plot_health, plot_histograms
from .optimizers import (SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop, clip_grad_norm_,
                         grad_norm)
from .params import Param
from .plots import plot_decision_boundary, plot_history
from .regularization import BatchNorm1d, Dropout, EarlyStopping, add_penalty_grad, penalty
from .schedules import (cosine_decay, cosine_restarts, exponential_decay, inverse_time_decay,
                        one_cycle, step_decay, warmup)
from .training import History, evaluate, fit, predict, train_step
from .transformer import GPT, LayerNorm, TransformerBlock

__all__ = [name for name in dir() if not name.startswith("_")]
