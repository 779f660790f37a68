package dev.annonet.spark;

import java.io.Serializable;

/**
 * One training row of an RDD for {@link SparkTrainer#fit(org.apache.spark.api.java.JavaRDD)}:
 * the network's inputs and its targets (one value, the class index for classifiers, or one per
 * output). The arrays are not copied; they are checked when the rows are packed, as a
 * DataFrame's columns are.
 *
 * @param features the inputs, as many as the network takes
 * @param targets the target values
 */
public record LabeledRow(float[] features, float[] targets) implements Serializable {

  /** A row with one target: a class index for classifiers, a number otherwise. */
  public static LabeledRow of(float[] features, float label) {
    return new LabeledRow(features, new float[] {label});
  }
}
