package dev.annonet.examples.gpt;

import dev.annonet.nn.*;

/**
 * A character-level GPT of two pre-norm blocks: 64 characters of context, 86 character ids (the
 * fortunes corpus's), width 64 in four heads of 16, an MLP of 256 with GELU; the next character
 * at every position.
 */
@Network
@SoftmaxCrossEntropy
abstract class CharGpt {
  @TokenInput(length = 64, vocabulary = 86) Layer ids;
  @Embedding(64)                            Layer emb;
  @PositionalEmbedding                      Layer pos;
  @LayerNorm                                Layer ln1;
  @CausalSelfAttention(heads = 4)           Layer attn1;
  @Add(from = "pos")                        Layer res1;
  @LayerNorm                                Layer ln2;
  @Dense(256) @Gelu                         Layer up1;
  @Dense(64)                                Layer down1;
  @Add(from = "res1")                       Layer res2;
  @LayerNorm                                Layer ln3;
  @CausalSelfAttention(heads = 4)           Layer attn2;
  @Add(from = "res2")                       Layer res3;
  @LayerNorm                                Layer ln4;
  @Dense(256) @Gelu                         Layer up2;
  @Dense(64)                                Layer down2;
  @Add(from = "res3")                       Layer res4;
  @LayerNorm                                Layer lnf;
  @Dense(86)                                Layer logits;
}
