/**
 * Optimizers, step-size schedules and a small driver, all working on one flat parameter buffer.
 *
 * <p>Every {@link dev.annonet.optim.Optimizer} is a final class with a {@code Config} record
 * (PyTorch's setting names and defaults), a {@code defaults()} factory and fluent methods that
 * return a fresh optimizer with one setting changed, for example
 * {@code Adam.defaults().lr(1e-2f).betas(0.9, 0.99)}. Bad settings fail at construction with the
 * setting, the value and the valid range. State is sized on the first step and reused; each
 * update is a single loop over the buffer.
 *
 * <ul>
 *   <li>Full batch: {@link dev.annonet.optim.GradientDescent}, {@link dev.annonet.optim.LineSearch}
 *       (backtracking, never increases {@code f}).
 *   <li>Stochastic: {@link dev.annonet.optim.Sgd}, {@link dev.annonet.optim.Momentum} (lecture and
 *       heavy-ball forms), {@link dev.annonet.optim.Nesterov}.
 *   <li>Adaptive: {@link dev.annonet.optim.AdaGrad}, {@link dev.annonet.optim.RmsProp},
 *       {@link dev.annonet.optim.Adam}, {@link dev.annonet.optim.AmsGrad},
 *       {@link dev.annonet.optim.AdamW}.
 * </ul>
 *
 * <p>Where the lecture's formulas and PyTorch's differ, the classes follow PyTorch and say so:
 * AdaGrad and RMSProp divide by the square root of the accumulator, Nesterov uses the gradient at
 * the current parameters (the look-ahead form after a change of variables). Trajectories are
 * checked step by step against PyTorch; see
 * {@code runtime/src/test/resources/reference/optim/make_optim_reference.py}.
 *
 * <p>{@link dev.annonet.optim.Schedule} scales the base step size per epoch or iteration;
 * {@link dev.annonet.optim.Minimizer} runs an optimizer on an {@link dev.annonet.optim.Objective}
 * and records the trajectory.
 *
 * <p>Two tools from the course's theorems: {@link dev.annonet.optim.Averaging} and
 * {@link dev.annonet.optim.IterateAverage} keep the averaged iterate of the SGD theorem
 * ({@code Minimizer.averageIterates()}, {@code Trainer.averageIterates()}), in double;
 * {@link dev.annonet.optim.Lipschitz} estimates the gradient's Lipschitz constant {@code L} by
 * power iteration on finite-difference Hessian-vector products, and
 * {@link dev.annonet.optim.GradientDescent#withEstimatedLipschitz()} steps {@code 1/L} with it.
 */
package dev.annonet.optim;
