package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Causal multi-head self-attention over a sequence, {@code seq T x d} to {@code seq T x d}: each
 * position attends to itself and the positions before it, never after, as in GPT. PyTorch's
 * {@code nn.MultiheadAttention(d, heads, batch_first=True)} called as {@code m(x, x, x,
 * attn_mask=causal)} without dropout, with its parameters and names: {@code in_proj_weight
 * [3d][d]} (the query, key and value projections' rows), {@code in_proj_bias [3d]}, {@code
 * out_proj.weight [d][d]}, {@code out_proj.bias [d]}, initialised as PyTorch does (Xavier-uniform
 * {@code in_proj_weight}, {@code out_proj.weight} as {@code nn.Linear}'s, zero biases).
 *
 * <p>The heads split the width: {@code heads} must divide d, each head attending with {@code d /
 * heads} values. The output has no activation (put one on a {@code @Dense} after it). A GPT
 * block, pre-norm with residuals:
 *
 * <pre>{@code
 * @LayerNorm                          Layer ln1;
 * @CausalSelfAttention(heads = 4)     Layer attn;
 * @Add(from = "pos")                  Layer res1;     // the block's input plus attention
 * @LayerNorm                          Layer ln2;
 * @Dense(256) @Gelu                   Layer up;
 * @Dense(64)                          Layer down;
 * @Add(from = "res1")                 Layer res2;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface CausalSelfAttention {
  /** Attention heads; must divide the input's width d. */
  int heads();
}
