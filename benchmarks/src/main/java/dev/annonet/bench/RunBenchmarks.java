package dev.annonet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the training and matrix-product benchmarks through JMH and prints one table of samples
 * per second next to PyTorch's figures (when given), then the kernel's GFLOP/s. Started by
 * {@code benchmarks/run}, which builds the module and measures PyTorch first.
 *
 * <pre>
 * options: --quick               1 fork, short warm-up: a smoke check, not a measurement
 *          --workloads W1,W3     (default all)       --threads 1,2 (default)
 *          --products abt:128x256x784,...            --no-gemm
 *          --ceiling             also two independent trainings side by side (see below)
 *          --forks N --warmup N --iterations N       (override the mode's settings)
 *          --jvm-args "-Dk=v ..."  more arguments for the measured JVMs (an A/B of a setting)
 *          --torch FILE          PyTorch figures: lines "W1 threads samples/s variant"
 *          --out DIR             where the JMH results and table.md go (default .)
 * </pre>
 *
 * <p>With {@code --ceiling}, each workload also runs as two independent trainings side by side
 * in one JVM (two JMH threads, one kernel thread each, nothing shared): their summed samples/s
 * over the 1-thread figure is the most that any 2-thread split of one training could reach on
 * this machine in this run, since it pays for nothing but the cores' shared caches, memory and
 * clock. The table then sets each 2-thread speed-up beside that ceiling.
 */
public final class RunBenchmarks {

  private RunBenchmarks() {}

  /** The JMH settings of one mode. */
  record Settings(int forks, int warmup, int iterations, TimeValue time) {}

  /**
   * Full mode: every iteration lasts a second; 10 warm-up seconds bring the small workloads to
   * their steady state (C2 takes about 4 s on a loaded machine, see BENCHMARKS.md); 2 forks
   * because code generation can differ between JVM launches.
   */
  static final Settings FULL = new Settings(2, 10, 8, TimeValue.seconds(1));

  /** Quick mode: enough to see that everything runs, too short for W1/W2 to be warm. */
  static final Settings QUICK = new Settings(1, 3, 3, TimeValue.seconds(1));

  /** Kernel-only settings: the products reach their speed within a few iterations. */
  static final Settings GEMM_FULL = new Settings(2, 5, 5, TimeValue.seconds(1));

  /** JVM options of the forked benchmark JVMs (instead of the launching JVM's). */
  static final String[] JVM_ARGS = {"--add-modules=jdk.incubator.vector",
      "-XX:PerMethodTrapLimit=1000", "-Xmx3g"};

  /** The measured JVMs' arguments: {@link #JVM_ARGS} and those of {@code --jvm-args}. */
  private static String[] jvmArgs = JVM_ARGS;

  public static void main(String[] args) throws RunnerException, IOException {
    Map<String, String> opts = parse(args);
    if (opts.containsKey("jvm-args")) {
      List<String> all = new ArrayList<>(List.of(JVM_ARGS));
      all.addAll(List.of(opts.get("jvm-args").trim().split("\\s+")));
      jvmArgs = all.toArray(new String[0]);
    }
    boolean quick = opts.containsKey("quick");
    Settings train = override(quick ? QUICK : FULL, opts);
    Settings gemm = override(quick ? QUICK : GEMM_FULL, opts);
    String[] workloads = opts.getOrDefault("workloads", "W1,W2,W3,W4,W5,W6,W7").split(",");
    for (String w : workloads) {
      Workload.valueOf(w);
    }
    String[] threads = opts.getOrDefault("threads", "1,2").split(",");
    Path out = Path.of(opts.getOrDefault("out", "."));
    Files.createDirectories(out);

    Collection<RunResult> training = run(TrainingBenchmark.class, train,
        out.resolve("jmh-training.json"), "workload", workloads, threads, 1);
    Collection<RunResult> independent = List.of();
    if (opts.containsKey("ceiling")) {
      independent = run(TrainingBenchmark.class, train, out.resolve("jmh-ceiling.json"),
          "workload", workloads, new String[] {"1"}, 2);
    }
    Collection<RunResult> products = List.of();
    String[] productList = null;
    if (!opts.containsKey("no-gemm")) {
      productList = opts.containsKey("products") ? opts.get("products").split(",")
          : defaultProducts();
      products = run(GemmBenchmark.class, gemm, out.resolve("jmh-gemm.json"), "product",
          productList, threads, 1);
    }

    Map<String, String[]> torch = opts.containsKey("torch")
        ? readTorch(Path.of(opts.get("torch"))) : Map.of();
    StringBuilder table = new StringBuilder();
    if (jvmArgs != JVM_ARGS) {
      table.append("Measured JVMs also ran with: ").append(opts.get("jvm-args").trim())
          .append("\n\n");
    }
    trainingTable(table, training, torch, workloads, threads, quick ? QUICK : train);
    if (opts.containsKey("ceiling")) {
      table.append('\n');
      ceilingTable(table, training, independent, workloads);
    }
    if (productList != null) {
      table.append('\n');
      gemmTable(table, products, productList, threads);
    }
    PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    stdout.println();
    stdout.print(table);
    Files.writeString(out.resolve("table.md"), table);
  }

  private static String[] defaultProducts() {
    try {
      return GemmBenchmark.class.getField("product").getAnnotation(
          org.openjdk.jmh.annotations.Param.class).value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Collection<RunResult> run(Class<?> benchmark, Settings s, Path result,
      String param, String[] values, String[] threads, int jmhThreads) throws RunnerException {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
        .param(param, values)
        .param("kernelThreads", threads)
        .threads(jmhThreads)
        .forks(s.forks())
        .warmupIterations(s.warmup())
        .warmupTime(s.time())
        .measurementIterations(s.iterations())
        .measurementTime(s.time())
        .jvmArgs(jvmArgs)
        .resultFormat(ResultFormatType.JSON)
        .result(result.toString());
    return new Runner(options.build()).run();
  }

  private static void trainingTable(StringBuilder t, Collection<RunResult> results,
      Map<String, String[]> torch, String[] workloads, String[] threads, Settings s) {
    t.append("Training throughput, samples/s (median of ").append(s.forks() * s.iterations())
        .append(" one-second iterations after ").append(s.warmup())
        .append(" warm-up seconds, ").append(s.forks()).append(" fork(s)); ratio = Annonet / "
            + "PyTorch\n\n");
    t.append("| workload |");
    for (String th : threads) {
      t.append(" Annonet ").append(th).append("T |");
    }
    for (String th : threads) {
      t.append(" PyTorch ").append(th).append("T |");
    }
    for (String th : threads) {
      t.append(" ratio ").append(th).append("T |");
    }
    t.append('\n').append("|---|").append("---:|".repeat(3 * threads.length)).append('\n');
    StringBuilder detail = new StringBuilder();
    for (String w : workloads) {
      Workload workload = Workload.valueOf(w);
      double[] ours = new double[threads.length];
      double[] theirs = new double[threads.length];
      t.append("| ").append(w).append(' ').append(workload.title()).append(" |");
      for (int i = 0; i < threads.length; i++) {
        RunResult r = findResult(results, "workload", w, threads[i]);
        Statistics st = r == null ? null : r.getPrimaryResult().getStatistics();
        ours[i] = st == null ? Double.NaN : st.getPercentile(50) * workload.batch();
        t.append(' ').append(rate(ours[i])).append(" |");
        if (st != null) {
          String warning =
              forkWarning(w + " " + threads[i] + "T", forkMedians(r), workload.batch());
          if (warning != null) {
            System.err.println("warning: " + warning);
            detail.append("- **warning**: ").append(warning).append('\n');
          }
          detail.append(String.format(Locale.ROOT,
              "- %s %sT: %s samples/s (min %s, max %s), %.1f GFLOP/s%n", w, threads[i],
              rate(ours[i]), rate(st.getMin() * workload.batch()),
              rate(st.getMax() * workload.batch()),
              ours[i] * workload.flopsPerSample() / 1e9));
        }
      }
      for (int i = 0; i < threads.length; i++) {
        String[] row = torch.get(w + " " + threads[i]);
        theirs[i] = row == null ? Double.NaN : Double.parseDouble(row[2]);
        t.append(' ').append(rate(theirs[i]));
        if (row != null && row.length > 3) {
          t.append(" (").append(row[3]).append(')');
        }
        t.append(" |");
      }
      for (int i = 0; i < threads.length; i++) {
        t.append(' ').append(ratio(ours[i] / theirs[i])).append(" |");
      }
      t.append('\n');
    }
    t.append("\nAnnonet detail (spread over iterations; GFLOP/s with WORKLOADS.md's FLOP count):"
        + "\n\n").append(detail);
  }

  /**
   * The ceiling table: per workload, the 1- and 2-thread rates of one training, the summed rate
   * of two independent trainings, and the speed-ups 2T / 1T and independent / 1T.
   */
  private static void ceilingTable(StringBuilder t, Collection<RunResult> training,
      Collection<RunResult> independent, String[] workloads) {
    t.append("Two threads against the machine's ceiling: two independent trainings side by side"
        + " (one kernel thread each, samples/s summed) over one training on 1 thread is the"
        + " most a 2-thread split of one training could reach here\n\n");
    t.append("| workload | 1T | 2T | 2 independent | 2T / 1T | ceiling | 2T share of ceiling |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|\n");
    StringBuilder warnings = new StringBuilder();
    for (String w : workloads) {
      int batch = Workload.valueOf(w).batch();
      double oneThread = median(training, w, "1", batch);
      double pair = median(independent, w, "1", batch);
      t.append(ceilingRow(w, oneThread, median(training, w, "2", batch), pair)).append('\n');
      String warning = ceilingWarning(w, oneThread, pair);
      if (warning != null) {
        System.err.println("warning: " + warning);
        warnings.append("- **warning**: ").append(warning).append('\n');
      }
    }
    if (warnings.length() > 0) {
      t.append('\n').append(warnings);
    }
  }

  /**
   * A warning when two independent trainings together ran more than twice as fast as one
   * training on 1 thread, or null. Two cores cannot give more than 2x with nothing shared, so
   * the 1-thread forks and the side-by-side run saw a different machine (on a shared VM the
   * memory's speed moves by 1.7x from minute to minute): the 1-thread figure and every ratio
   * built on it are not to be trusted, while the 2-thread figure can still be read against the
   * side-by-side pair.
   */
  static String ceilingWarning(String workload, double oneThread, double twoIndependent) {
    double ceiling = twoIndependent / oneThread;
    if (!(ceiling > 2)) {
      return null;
    }
    return String.format(Locale.ROOT,
        "%s: two independent trainings ran %.2fx one on 1 thread, more than 2 cores can give;"
            + " the 1-thread forks ran on a slower machine than the side-by-side run, so the"
            + " 1-thread figure and 2T / 1T are not to be trusted (read 2T by its share of the"
            + " ceiling, or rerun)", workload, ceiling);
  }

  /**
   * One row of the ceiling table from the rates (samples/s; NaN when not measured) of one
   * training on 1 and on 2 threads and of two independent ones together.
   */
  static String ceilingRow(String workload, double oneThread, double twoThreads,
      double twoIndependent) {
    double speedUp = twoThreads / oneThread;
    double ceiling = twoIndependent / oneThread;
    return "| " + workload + " | " + rate(oneThread) + " | " + rate(twoThreads) + " | "
        + rate(twoIndependent) + " | " + ratio(speedUp) + " | " + ratio(ceiling) + " | "
        + (Double.isNaN(speedUp / ceiling) ? "-"
            : String.format(Locale.ROOT, "%.0f%%", 100 * speedUp / ceiling)) + " |";
  }

  /** A ratio to two decimals, or "-" when missing. */
  private static String ratio(double r) {
    return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
  }

  /** The median rate in samples/s of a workload at a kernel thread count, or NaN. */
  private static double median(Collection<RunResult> results, String workload, String threads,
      int batch) {
    Statistics st = find(results, "workload", workload, threads);
    return st == null ? Double.NaN : st.getPercentile(50) * batch;
  }

  private static void gemmTable(StringBuilder t, Collection<RunResult> results,
      String[] products, String[] threads) {
    t.append("Matrix-product kernel alone (Gemm), GFLOP/s, median\n\n| product (C = m x n, "
        + "sum over k) |");
    for (String th : threads) {
      t.append(' ').append(th).append("T |");
    }
    t.append("\n|---|").append("---:|".repeat(threads.length)).append('\n');
    for (String p : products) {
      GemmBenchmark.Product product = GemmBenchmark.Product.parse(p);
      t.append("| ").append(p).append(" |");
      for (String th : threads) {
        Statistics st = find(results, "product", p, th);
        t.append(' ').append(st == null ? "-" : String.format(Locale.ROOT, "%.1f",
            st.getPercentile(50) * product.flops() / 1e9)).append(" |");
      }
      t.append('\n');
    }
  }

  private static Statistics find(Collection<RunResult> results, String param, String value,
      String threads) {
    RunResult r = findResult(results, param, value, threads);
    return r == null ? null : r.getPrimaryResult().getStatistics();
  }

  private static RunResult findResult(Collection<RunResult> results, String param, String value,
      String threads) {
    for (RunResult r : results) {
      if (value.equals(r.getParams().getParam(param))
          && threads.equals(r.getParams().getParam("kernelThreads"))) {
        return r;
      }
    }
    return null;
  }

  /** Each fork's median score (operations per second), in fork order. */
  private static double[] forkMedians(RunResult r) {
    return r.getBenchmarkResults().stream()
        .mapToDouble(b -> b.getPrimaryResult().getStatistics().getPercentile(50))
        .toArray();
  }

  /** Forks whose medians differ by more than this factor are reported. */
  static final double FORK_SPREAD = 1.5;

  /**
   * A warning naming {@code what} and each fork's rate (batches of {@code batch} samples per
   * second times the batch) when the fastest fork's median is over {@link #FORK_SPREAD} times
   * the slowest's, or null: one slow fork (JIT, GC or a neighbour on the same cores) moves the
   * table's median without showing in it.
   */
  static String forkWarning(String what, double[] medians, int batch) {
    if (medians.length < 2) {
      return null;
    }
    double min = Arrays.stream(medians).min().getAsDouble();
    double max = Arrays.stream(medians).max().getAsDouble();
    if (!(max > FORK_SPREAD * min)) {
      return null;
    }
    StringBuilder rates = new StringBuilder();
    for (double m : medians) {
      rates.append(rates.length() == 0 ? "" : ", ").append(rate(m * batch));
    }
    return String.format(Locale.ROOT,
        "%s: forks disagree by %.1fx (samples/s per fork: %s); rerun on a quieter machine or"
            + " with more forks before trusting this row", what, max / min, rates);
  }

  /** A rate with thousands separators, or "-" when missing. */
  static String rate(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
  }

  /** PyTorch's figures: "workload threads samples/s [variant]" per line, '#' comments. */
  static Map<String, String[]> readTorch(Path file) throws IOException {
    Map<String, String[]> rows = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && !f[0].startsWith("#")) {
        rows.put(f[0] + " " + f[1], f);
      }
    }
    return rows;
  }

  private static Settings override(Settings s, Map<String, String> opts) {
    return new Settings(intOpt(opts, "forks", s.forks()), intOpt(opts, "warmup", s.warmup()),
        intOpt(opts, "iterations", s.iterations()), s.time());
  }

  private static int intOpt(Map<String, String> opts, String name, int fallback) {
    return opts.containsKey(name) ? Integer.parseInt(opts.get(name)) : fallback;
  }

  private static Map<String, String> parse(String[] args) {
    List<String> flags = List.of("quick", "no-gemm", "ceiling");
    List<String> valued = List.of("workloads", "threads", "products", "forks", "warmup",
        "iterations", "torch", "out", "jvm-args");
    Map<String, String> opts = new HashMap<>();
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    while (!rest.isEmpty()) {
      String a = rest.remove(0);
      String name = a.startsWith("--") ? a.substring(2) : a;
      if (flags.contains(name)) {
        opts.put(name, "");
      } else if (valued.contains(name) && !rest.isEmpty()) {
        opts.put(name, rest.remove(0));
      } else {
        throw new IllegalArgumentException("unknown or incomplete option '" + a + "': use "
            + "--quick, --no-gemm, --ceiling, or one of --" + String.join(" VALUE, --", valued)
            + " VALUE");
      }
    }
    return opts;
  }
}
