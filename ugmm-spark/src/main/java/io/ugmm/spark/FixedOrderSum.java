package io.ugmm.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sums one {@link StepGradient} per partition in an order fixed by the partition indices, so a training
 * run is reproducible bit for bit whatever order the tasks finish in. Spark's own {@code treeAggregate}
 * is not: its last level (and each shuffle level) merges partial sums in the order they arrive, and float
 * addition is not associative. Here up to {@code fanout} shares are collected (in partition order) and
 * summed left to right on the driver; more are first summed in groups of {@code fanout} consecutive
 * indices on the executors, level by level, each group sorted by index before it is summed.
 */
final class FixedOrderSum {
    private FixedOrderSum() {
    }

    static StepGradient of(JavaRDD<StepGradient> shares, int fanout) {
        if (fanout < 2) {
            throw new IllegalArgumentException("the fan-out must be at least 2, found " + fanout);
        }
        int width = shares.getNumPartitions();
        if (width <= fanout) {
            return inOrder(new ArrayList<>(shares.collect()), 0);
        }
        JavaPairRDD<Integer, StepGradient> level = shares.mapToPair(g -> new Tuple2<>(g.index, g));
        while (width > fanout) {
            int groups = (width + fanout - 1) / fanout;
            level = level.mapToPair(kv -> new Tuple2<>(kv._1 / fanout, kv._2)).groupByKey(groups)
                    .mapToPair(kv -> {
                        List<StepGradient> group = new ArrayList<>();
                        kv._2.forEach(group::add);
                        return new Tuple2<>(kv._1, inOrder(group, kv._1));
                    });
            width = groups;
        }
        return inOrder(new ArrayList<>(level.values().collect()), 0);
    }

    /** The shares sorted by index and summed left to right, the sum at index {@code at}. */
    static StepGradient inOrder(List<StepGradient> shares, int at) {
        shares.sort(Comparator.comparingInt(g -> g.index));
        StepGradient sum = StepGradient.empty(at);
        for (StepGradient g : shares) {
            sum = sum.plus(g, at);
        }
        return sum;
    }
}
