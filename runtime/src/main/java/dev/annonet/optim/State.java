package dev.annonet.optim;

/** Checks and copies the state arrays handed to {@link Optimizer#restore}. */
final class State {

  private State() {}

  /**
   * Checks that {@code state} holds {@code names.length} arrays of one common, non-zero length
   * once {@code steps > 0} (none before the first step) and returns copies of them.
   *
   * @param owner the optimizer's name, for messages
   * @param names the arrays' names in order, as {@link Optimizer#state()} documents them
   */
  static float[][] restore(String owner, float[][] state, long steps, String... names) {
    if (state == null) {
      throw new IllegalArgumentException(owner + ": state is null; pass an empty array for an"
          + " optimizer that has not stepped");
    }
    if (steps < 0) {
      throw new IllegalArgumentException(owner + ": steps = " + steps + " is negative");
    }
    String kept = names.length == 0 ? "none" : "{" + String.join(", ", names) + "}";
    if (steps == 0) {
      if (state.length != 0) {
        throw new IllegalArgumentException(owner + ": state has " + state.length + " array(s)"
            + " but steps = 0; before its first step the optimizer keeps no state");
      }
      return new float[0][];
    }
    if (state.length != names.length) {
      throw new IllegalArgumentException(owner + ": state has " + state.length + " array(s) but"
          + " after " + steps + " step(s) this optimizer with these settings keeps "
          + names.length + " " + kept + ": the state comes from another optimizer or other"
          + " settings; restore it into an optimizer configured as the one that saved it");
    }
    float[][] copies = new float[names.length][];
    for (int k = 0; k < names.length; k++) {
      if (state[k] == null) {
        throw new IllegalArgumentException(owner + ": state array " + k + " (" + names[k]
            + ") is null");
      }
      if (state[k].length == 0 || state[k].length != state[0].length) {
        throw new IllegalArgumentException(owner + ": state array " + k + " (" + names[k]
            + ") has " + state[k].length + " entries but " + names[0] + " has "
            + state[0].length + ": every array holds one value per parameter");
      }
      copies[k] = state[k].clone();
    }
    return copies;
  }
}
