package io.ugmm.spark;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A tree reduction like Spark's {@code treeAggregate}, but in a fixed order: Spark's merges partial
 * results in the order its tasks finish, so floating-point sums could differ from run to run. Here each
 * partial result carries its partition index; a level of the tree merges runs of consecutive indices
 * (sorted first), and the driver merges the last level in index order. So the result depends only on the
 * data and its partitioning, never on timing.
 */
final class FixedOrderTreeReduce {
    private FixedOrderTreeReduce() {
    }

    /**
     * Merges the values of {@code parts} (keyed by partition index, any number per key) in index order;
     * {@code depth} levels as in {@code treeAggregate} (2: one level on the executors, then the driver).
     */
    static <T extends Serializable> T reduce(JavaPairRDD<Integer, T> parts, Function2<T, T, T> merge, int depth) {
        int count = parts.getNumPartitions();
        int scale = Math.max((int) Math.ceil(Math.pow(count, 1.0 / Math.max(1, depth))), 2);
        // as treeAggregate: another level while it shrinks what reaches the driver by more than a little
        return reduce(parts, merge, scale, c -> c > scale + (c + scale - 1) / scale);
    }

    /**
     * Merges the values of {@code parts} (keyed by partition index) in index order: while there are more than
     * {@code fanout}, in groups of {@code fanout} consecutive indices on the executors, level by level; the
     * rest on the driver.
     */
    static <T extends Serializable> T inGroupsOf(JavaPairRDD<Integer, T> parts, Function2<T, T, T> merge,
                                                 int fanout) {
        if (fanout < 2) {
            throw new IllegalArgumentException("the fan-out must be at least 2, found " + fanout);
        }
        return reduce(parts, merge, fanout, c -> c > fanout);
    }

    /** Levels of groups of {@code size} consecutive indices while {@code anotherLevel} says so for their count. */
    private static <T extends Serializable> T reduce(JavaPairRDD<Integer, T> parts, Function2<T, T, T> merge,
                                                     int size, IntPredicate anotherLevel) {
        int count = parts.getNumPartitions();
        JavaPairRDD<Integer, T> level = parts;
        while (anotherLevel.test(count)) {
            int groups = (count + size - 1) / size;
            level = level.mapToPair(p -> new Tuple2<>(p._1() / size, p))
                    .groupByKey(new HashPartitioner(groups))
                    .mapValues(run -> mergeInOrder(run, merge));
            count = groups;
        }
        List<Tuple2<Integer, T>> last = new ArrayList<>(level.collect());
        if (last.isEmpty()) {
            throw new IllegalStateException("nothing to reduce: the data has no partitions");
        }
        return mergeInOrder(last, merge);
    }

    private static <T> T mergeInOrder(Iterable<Tuple2<Integer, T>> run, Function2<T, T, T> merge) {
        List<Tuple2<Integer, T>> sorted = new ArrayList<>();
        run.forEach(sorted::add);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        T total = sorted.get(0)._2();
        for (int i = 1; i < sorted.size(); i++) {
            try {
                total = merge.call(total, sorted.get(i)._2());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return total;
    }
}
