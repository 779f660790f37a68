package dev.annonet.processor.model;

import dev.annonet.processor.Diagnostics;
import dev.annonet.processor.Message;
import java.util.function.DoublePredicate;

/**
 * What a layer kind's {@code read} is given for one field: its name, its layer annotation's
 * settings and origin, its activation, and where to report a setting that is wrong. Reading
 * checks each setting on its own (a positive size, a rate in range); what depends on the shapes
 * is the shape rule's.
 *
 * @param name the field's name
 * @param origin the field and its layer annotation
 * @param settings the annotation's settings, defaults filled in
 * @param activation the field's activation annotation, or none
 */
public record LayerReading(
    String name, Origin origin, Attributes settings, Activation activation,
    Diagnostics diagnostics) {

  /** Reports {@code message} at {@code at}. */
  public void error(Origin at, Message message, Object... args) {
    diagnostics.error(at, message, args);
  }

  /** Reports an activation on a layer of {@code kind}, which computes no new values. */
  public void noActivation(String kind) {
    if (!activation.isNone()) {
      error(activation.origin(), Message.ACTIVATION_NOT_ALLOWED, activation.display(), kind, name);
    }
  }

  /**
   * Reports {@code value} unless positive: {@code what} names the setting as the message reads
   * ({@code "@Conv2d kernel of"}), {@code example} is a fix written as the user would.
   */
  public void positive(Origin at, String what, int value, String example) {
    if (value <= 0) {
      error(at, Message.NON_POSITIVE_SIZE, what, name, value, example);
    }
  }

  /**
   * How a setting reads in its error when the float the model computes with fails {@code ok},
   * or null when it passes. A value that passes only as written says what it becomes:
   * {@code 0.99999999, which is 1.0 as a float}.
   */
  public static String rejected(double written, DoublePredicate ok) {
    float computed = (float) written;
    if (ok.test(computed)) {
      return null;
    }
    return ok.test(written)
        ? literal(written) + ", which is " + literal(computed) + " as a float"
        : literal(written);
  }

  /**
   * {@code 0.25} for both {@code 0.25} and {@code 0.25f}: the shortest decimal of the float when
   * the value is one, so that a widened float literal reads as it was written.
   */
  static String literal(double value) {
    float f = (float) value;
    return f == value ? Float.toString(f) : Double.toString(value);
  }
}
