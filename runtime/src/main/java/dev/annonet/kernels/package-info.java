/**
 * Numerical kernels that generated models call: {@link dev.annonet.kernels.Dense} for fully
 * connected layers, built on the matrix products of {@link dev.annonet.kernels.Gemm}, the
 * elementwise {@link dev.annonet.kernels.Activation}s, {@link dev.annonet.kernels.Lstm} and
 * {@link dev.annonet.kernels.Gru} for recurrent layers and causal self-attention ({@link
 * dev.annonet.kernels.Attention}) over {@code [batch][steps][features]} sequences.
 *
 * <p>Conventions: float32, flat row-major arrays addressed by offsets (parameters and gradients
 * each in one buffer, laid out as PyTorch lays them out), results overwritten rather than
 * accumulated, nothing allocated per call once warm (per-thread packing buffers), and results
 * bit-identical for the same inputs. Each product runs on one of three implementations chosen
 * by size: simple loops for tiny products, cache-tiled plain Java, or a packed register-blocked
 * Vector API kernel when {@code jdk.incubator.vector} is resolved ({@link
 * dev.annonet.kernels.Kernels}).
 *
 * <p>Adding a kernel: a product that reduces to {@code op(A) * op(B)} goes through {@code
 * Gemm.multiply} (with a new epilogue constant if it fuses something); its tests compare every
 * {@code Gemm.Impl} against naive loops in double ({@code GemmTest}) and check gradients by
 * central differences ({@code GradientCheck}).
 */
package dev.annonet.kernels;
