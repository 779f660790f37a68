package dev.annonet.nn;

/**
 * The type of every layer field in a {@link Network} class. The fields are never read or
 * written: they only name the layers (the names become parameter names such as
 * {@code f1.weight}) and carry the layer annotations.
 */
public interface Layer {}
