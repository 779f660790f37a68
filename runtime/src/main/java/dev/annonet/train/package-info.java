/** The training loop: {@link dev.annonet.train.Trainer}, its history, metrics and callbacks. */
package dev.annonet.train;
