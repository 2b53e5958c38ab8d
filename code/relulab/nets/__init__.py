r"""Small neural networks as pure functions of plain-pytree parameters.

Multilayer perceptrons (MLPs)
    Parameters are a Python ``list`` of ``(W, b)`` tuples, one per layer, with
    ``W`` of shape ``(n_in, n_out)`` and ``b`` of shape ``(n_out,)``. Layer
    :math:`\ell` computes the *pre-activation* :math:`z_\ell = h_{\ell-1} W_\ell + b_\ell`
    and, for every layer but the last, the *activation*
    :math:`h_\ell = \sigma(z_\ell)`; the last layer is linear, so the network
    output is :math:`z_L`.

    * :func:`mlp_init` draws the weights (He, Glorot or LeCun scaling).
    * :func:`mlp_apply` evaluates the network.
    * :func:`mlp_hidden` returns every hidden layer's pre-activations and
      activations (for dead units, activation patterns and linear regions).
    * :func:`random_mlp` draws a random MLP with non-zero biases in NumPy, and
      :func:`mlp_with_patterns` evaluates one in NumPy, returning each input's
      activation pattern with the output.

Convolutional networks (CNNs)
    Parameters are again a list of ``(W, b)`` tuples: first the convolution
    layers, with ``W`` of shape ``(k_h, k_w, c_in, c_out)`` (HWIO) and ``b`` of
    shape ``(c_out,)``, then the dense layers as in an MLP. Images are NHWC:
    ``(batch, height, width, channels)``, or ``(height, width, channels)`` for
    a single image.

    * :func:`cnn_init` builds ``conv -> act -> pool`` blocks followed by dense
      layers (hidden ones activated, the last one linear).
    * :func:`cnn_apply` evaluates it; :func:`cnn_hidden` returns the
      activated feature maps and hidden dense activations.
    * :func:`conv_layer` is one convolution layer (``"SAME"`` padding plus a
      bias, on a batch); :mod:`relulab.conv` has the bare convolutions (no bias).

Activations are given by name (any key of :data:`relulab.activations.ACTIVATIONS`)
or as a callable.

>>> import jax
>>> from relulab.nets import mlp_init, mlp_apply
>>> params = mlp_init(jax.random.key(0), [2, 16, 1])
>>> [W.shape for W, b in params]
[(2, 16), (16, 1)]
>>> mlp_apply(params, jax.numpy.ones((5, 2))).shape
(5, 1)
"""

from ._cnn import cnn_apply, cnn_hidden, cnn_init, conv_layer
from ._init import INITS, init_std, n_params, random_mlp
from ._mlp import Params, mlp_apply, mlp_hidden, mlp_init, mlp_with_patterns

__all__ = [
    "INITS",
    "Params",
    "cnn_apply",
    "cnn_hidden",
    "cnn_init",
    "conv_layer",
    "init_std",
    "mlp_apply",
    "mlp_hidden",
    "mlp_init",
    "mlp_with_patterns",
    "n_params",
    "random_mlp",
]
