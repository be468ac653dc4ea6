package io.ugmm.spark;

import org.apache.spark.sql.Row;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A partition's rows scored a batch at a time: reads up to a batch of input rows, lets the subclass score
 * them together, then hands out one output row per input row, in order.
 */
abstract class RowBatches implements Iterator<Row> {
    private final Iterator<Row> input;
    /** The current batch's input rows, {@code 0 .. n} of them. */
    final Row[] batch;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    /** Rows of the partition before the current batch (for messages naming a row). */
    long rowsBefore;

    RowBatches(Iterator<Row> input, int batchSize) {
        this.input = input;
        this.batch = new Row[batchSize];
    }

    /** Scores {@code batch[0 .. n]}. */
    abstract void score(int n);

    /** The output row of {@code batch[r]} once the batch is scored. */
    abstract Row output(int r);

    @Override
    public boolean hasNext() {
        if (ready.isEmpty() && input.hasNext()) {
            int n = 0;
            while (n < batch.length && input.hasNext()) {
                batch[n++] = input.next();
            }
            score(n);
            for (int r = 0; r < n; r++) {
                ready.add(output(r));
                batch[r] = null;
            }
            rowsBefore += n;
        }
        return !ready.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** {@code in}'s values followed by {@code outputs}. */
    static Object[] appended(Row in, int outputs) {
        Object[] values = new Object[in.length() + outputs];
        for (int i = 0; i < in.length(); i++) {
            values[i] = in.get(i);
        }
        return values;
    }
}
