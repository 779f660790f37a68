package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
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
    assertEquals(0, bytes(() -> run.step(3, 64)), "one step");
    assertEquals(0, bytes(() -> run.trainEpoch(4, hooks)), "one epoch of steps and hooks");
    assertEquals(0, bytes(run::evaluateTraining), "full-data loss and gradient norm");
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
}
