package dev.annonet.processor.model;

/**
 * The network's loss: its kind, Huber's delta, and for {@link LossKind#RESIDUAL} the names of the
 * user's {@code @Phi} and {@code @PhiDerivative} methods, and where phi is declared ({@code
 * phiOrigin}). A null {@code phiDerivative} means Annonet derives it from phi's source.
 */
public record LossSpec(
    LossKind kind, float delta, String phi, String phiDerivative, Origin origin,
    Origin phiOrigin) {}
