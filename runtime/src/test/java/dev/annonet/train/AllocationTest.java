package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Averaging;
import dev.annonet.optim.Schedule;
import dev.annonet.testing.InstrumentedModel;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestLineSearch;
import dev.annonet.testing.TestSgd;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training epochs and full-data evaluations allocate nothing once the run is prepared. */
class AllocationTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long allocated() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /** Bytes allocated by {@code work}, less what measuring itself costs. */
  private static long bytes(Runnable work) {
    long empty0 = allocated();
    long empty1 = allocated();
    long before = allocated();
    work.run();
    long after = allocated();
    return after - before - (empty1 - empty0);
  }

  /**
   * The fewest bytes any of three runs of {@code work} allocated. An allocation in the code
   * shows in every run; the JIT can allocate once in one of them (compiled code that is
   * deoptimized mid-run rebuilds on the heap the objects escape analysis had removed), which
   * made one epoch measure 320 bytes in a JVM whose compilations GemmTest had shaped.
   */
  private static long quietest(Runnable work) {
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      least = Math.min(least, bytes(work));
    }
    return least;
  }

  @Test
  void minibatchEpochsAllocateNothingAfterWarmUp() {
    Dataset data = Synthetic.separable(Run.EVALUATION_CHUNK + 500, 8, 4, 1);
    Model m = new SoftmaxModel(8, 4);
    m.initialize(1);
    Run run = Trainer.of(m).optimizer(new TestSgd(0.1f)).batchSize(64).prepare(data);
    // A batch hook that keeps a running sum, as a progress display would.
    double[] seen = new double[1];
    List<Callback> hooks = List.of(new Callback() {
      @Override
      public boolean afterEpoch(EpochRecord record, Model model) {
        return false;
      }

      @Override
      public void afterBatch(int epoch, int batch, int samples, double loss) {
        seen[0] += loss * samples;
      }
    });
    for (int e = 0; e < 3; e++) {
      run.trainEpoch(e, hooks);
      run.evaluateTraining();
    }
    assertEquals(0, bytes(() -> run.step(3, 1, 64)), "one step");
    assertEquals(0, bytes(() -> run.trainEpoch(4, hooks)), "one epoch of steps and hooks");
    assertEquals(0, bytes(run::evaluateTraining), "full-data loss and gradient norm");
  }

  @Test
  void clippedStepsAndEarlyStoppingAllocateNothingAfterWarmUp() {
    Dataset data = Synthetic.separable(600, 8, 4, 3);
    Model m = new InstrumentedModel(new SoftmaxModel(8, 4));
    m.initialize(3);
    // A small bound so that every minibatch gradient is rescaled.
    Trainer trainer = Trainer.of(m).optimizer(new TestSgd(0.5f)).batchSize(32)
        .clipGradientNorm(1e-3).validationSplit(0.25).earlyStopping(Metric.ACCURACY, 3);
    Run run = trainer.prepare(data);
    EarlyStopping stopping = new EarlyStopping(Metric.LOSS, 3, m);
    Snapshot lastGood = new Snapshot(m);
    EpochRecord[] records = new EpochRecord[6];
    for (int e = 0; e < records.length; e++) {
      run.trainEpoch(e, List.of());
      run.evaluateTraining();
      lastGood.capture(e + 1);
      // Falling, then rising: the rule captures the parameters on improvements only.
      double loss = e < 3 ? 1.0 / (e + 1) : e;
      records[e] = new EpochRecord(e + 1, 0, 0, 0, new Metrics(loss, 0, 0, 0), 0);
    }
    stopping.afterEpoch(records[0]);
    stopping.afterEpoch(records[3]);
    float[] before = m.parameters().clone();
    assertEquals(0, bytes(() -> run.step(6, 1, 32)), "one clipped step");
    assertTrue(!java.util.Arrays.equals(before, m.parameters()), "the step moved");
    assertEquals(0, bytes(() -> run.trainEpoch(7, List.of())), "one epoch of clipped steps");
    assertEquals(0, bytes(() -> lastGood.capture(8)), "copy of the last finite epoch");
    assertEquals(0, bytes(() -> stopping.afterEpoch(records[1])), "improvement: best copied");
    assertEquals(0, bytes(() -> stopping.afterEpoch(records[4])), "no improvement");
    assertEquals(0, bytes(() -> stopping.restoreBest()), "restoring the best epoch");
    assertEquals(0, bytes(lastGood::restore), "restoring the last finite epoch");
  }

  @Test
  void fullBatchEpochsAllocateNothingAfterWarmUp() {
    Dataset data = Synthetic.separable(300, 5, 3, 2);
    Model m = new SoftmaxModel(5, 3);
    m.initialize(2);
    Run run = Trainer.of(m).optimizer(new TestLineSearch(1f)).prepare(data);
    for (int e = 0; e < 3; e++) {
      run.trainEpoch(e, List.of());
      run.evaluateTraining();
    }
    assertEquals(0, bytes(() -> run.trainEpoch(3, List.of())));
  }

  @Test
  void averagedStepsAndSwapsAllocateNothingAfterWarmUp() {
    Dataset data = Synthetic.separable(600, 8, 4, 4);
    Model m = new SoftmaxModel(8, 4);
    m.initialize(4);
    Run run = Trainer.of(m).optimizer(new TestSgd(0.1f)).batchSize(32)
        .schedule(Schedule.inverseTime()).averageIterates().prepare(data);
    Run tail = Trainer.of(m).optimizer(new TestSgd(0.1f)).batchSize(32)
        .averageIterates(Averaging.uniformFrom(10)).prepare(data);
    for (int e = 0; e < 3; e++) {
      run.trainEpoch(e, List.of());
      tail.trainEpoch(e, List.of());
      run.useAverage();
      run.useIterate();
    }
    long updates = run.updates();
    assertEquals(0, bytes(() -> run.step(3, 1, 32)), "one step added to the average");
    assertEquals(updates + 1, run.updates());
    assertEquals(0, quietest(() -> run.trainEpoch(4, List.of())), "one epoch, step-weighted");
    assertEquals(0, quietest(() -> tail.trainEpoch(4, List.of())), "one epoch, uniform tail");
    float[] theta = m.parameters().clone();
    assertEquals(0, bytes(run::useAverage), "the average into the model");
    assertTrue(!java.util.Arrays.equals(theta, m.parameters()), "the model holds the average");
    assertEquals(0, bytes(run::useIterate), "the last iterate back");
    assertArrayEquals(theta, m.parameters());
  }
}
