package io.ugmm.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The vector width every Vector API kernel uses: the JVM's preferred, or {@code -Dugmm.simd.bits}. */
final class VectorSpeciesChoice {
    private VectorSpeciesChoice() {
    }

    static VectorSpecies<Float> floats() {
        switch (System.getProperty("ugmm.simd.bits", "")) {
            case "128":
                return FloatVector.SPECIES_128;
            case "256":
                return FloatVector.SPECIES_256;
            case "512":
                return FloatVector.SPECIES_512;
            default:
                return FloatVector.SPECIES_PREFERRED;
        }
    }

    static VectorSpecies<Double> doubles() {
        return VectorSpecies.of(double.class, floats().vectorShape());
    }
}
