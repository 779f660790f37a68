/**
 * Output around training: {@link dev.annonet.plot.Progress}, a training callback that shows a
 * progress bar or one line per epoch, and {@link dev.annonet.plot.LinePlot}, loss curves and
 * other per-epoch curves written as PNG.
 */
package dev.annonet.plot;
