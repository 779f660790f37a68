package dev.annonet.bench;

import dev.annonet.nn.*;

/**
 * W6 small-gpt: token and learned positional embeddings (T 64, width 128), two pre-LayerNorm
 * transformer blocks (causal self-attention with 4 heads, then a 4x GELU MLP, each residual), a
 * final LayerNorm and a linear head, cross-entropy at every position; as torch_seq.py's Gpt.
 */
@Network
@SoftmaxCrossEntropy
abstract class SmallGpt {
  @TokenInput(length = 64, vocabulary = 65) Layer ids;
  @Embedding(128)                   Layer tok;
  @PositionalEmbedding              Layer x0;
  @LayerNorm                        Layer ln1;
  @CausalSelfAttention(heads = 4)   Layer attn1;
  @Add(from = "x0")                 Layer x1;
  @LayerNorm                        Layer ln2;
  @Dense(512) @Gelu                 Layer up1;
  @Dense(128)                       Layer down1;
  @Add(from = "x1")                 Layer x2;
  @LayerNorm                        Layer ln3;
  @CausalSelfAttention(heads = 4)   Layer attn2;
  @Add(from = "x2")                 Layer x3;
  @LayerNorm                        Layer ln4;
  @Dense(512) @Gelu                 Layer up2;
  @Dense(128)                       Layer down2;
  @Add(from = "x3")                 Layer x4;
  @LayerNorm                        Layer lnF;
  @Dense(65)                        Layer logits;
}
