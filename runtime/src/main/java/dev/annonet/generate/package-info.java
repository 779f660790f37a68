/**
 * Generating from trained token models: {@link dev.annonet.generate.Sampling} picks a token id
 * from logits or probabilities (temperature, top-k, greedy), and {@link
 * dev.annonet.generate.Generator} runs a model on a sliding context window, feeding each chosen
 * id back as input.
 */
package dev.annonet.generate;
