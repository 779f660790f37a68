package dev.annonet.spark;

import dev.annonet.Model;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An executor's model with its batch buffers. Each JVM keeps a pool per network, one worker per
 * task running at once, so a step builds no model: only the parameters travel, and they are
 * copied into the worker's model before every use (a worker left behind by a failed task is
 * therefore as good as a new one).
 */
final class Worker {

  private static final ConcurrentHashMap<String, Queue<Worker>> POOLS =
      new ConcurrentHashMap<>();

  final Model model;
  float[] x = new float[0];
  float[] y = new float[0];
  int[] rows = new int[0];

  private Worker(Model model) {
    this.model = model;
  }

  /** A worker for the network {@code key} from this JVM's pool, built by the factory if none. */
  static Worker borrow(String key, ModelFactory<?> factory) {
    Worker w = POOLS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
    return w != null ? w : new Worker(factory.create(0));
  }

  /** Puts a borrowed worker back into the pool of {@code key}. */
  static void giveBack(String key, Worker worker) {
    POOLS.get(key).offer(worker);
  }

  /** Copies {@code parameters} into the model and sizes the buffers for {@code batch} rows. */
  void load(float[] parameters, int batch) {
    float[] p = model.parameters();
    if (p.length != parameters.length) {
      throw new IllegalStateException(model.name() + " on this executor has " + p.length
          + " parameters but the driver sent " + parameters.length + ": the executors run "
          + "another version of the network; ship the same application jar to both");
    }
    System.arraycopy(parameters, 0, p, 0, p.length);
    if (rows.length < batch) {
      model.reserve(batch);
      x = new float[batch * model.inputSize()];
      y = new float[batch * model.targetSize()];
      rows = new int[batch];
    }
  }
}
