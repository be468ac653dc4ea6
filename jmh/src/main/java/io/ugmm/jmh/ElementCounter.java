package io.ugmm.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts mixture elements (B·N·M per kernel call); JMH reports the count as a rate, the secondary
 * result {@code :elements} in elements per second. ({@code @OperationsPerInvocation} cannot do this: it is
 * a constant, and the element count differs per {@code @Param} shape.)
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ElementCounter {
    public long elements;

    @Setup(Level.Iteration)
    public void reset() {
        elements = 0;
    }
}
