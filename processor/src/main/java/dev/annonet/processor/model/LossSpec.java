package dev.annonet.processor.model;

/**
 * The network's loss: its kind, Huber's delta, and for {@link LossKind#RESIDUAL} the names of the
 * user's {@code @Phi} and {@code @PhiDerivative} methods.
 */
public record LossSpec(
    LossKind kind, float delta, String phi, String phiDerivative, Origin origin) {}
