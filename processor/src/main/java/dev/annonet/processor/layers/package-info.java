/**
 * One file per layer kind: the record of its settings and the kind's reading, shape rule,
 * parameters and code ({@link dev.annonet.processor.layers.LayerNode}), listed by {@link
 * dev.annonet.processor.layers.Layers}. Adding a kind is a checklist in the documentation of
 * {@code dev.annonet.processor}.
 */
package dev.annonet.processor.layers;
