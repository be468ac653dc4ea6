package io.ugmm.datasets;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Guards for tests on real data files. A missing dataset fails the test, with the command that
 * installs it, unless {@code UGMM_ALLOW_MISSING_DATA=1} is set, in which case the test is skipped
 * (reported as skipped, never as passed).
 */
final class RealData {
    static final String ALLOW_MISSING = "UGMM_ALLOW_MISSING_DATA";

    private RealData() {
    }

    static Path fashionMnist() {
        return require(FashionMnist.locate(), "Fashion-MNIST", FashionMnist.INSTALL);
    }

    static Path mnistDigits() {
        return require(MnistDigits.locate(), "MNIST digits", MnistDigits.FETCH);
    }

    private static Path require(Optional<Path> found, String what, String install) {
        if (found.isPresent()) {
            return found.get();
        }
        String message = what + " is not on this machine; run .ci/install-data.sh (or '" + install + "')";
        if ("1".equals(System.getenv(ALLOW_MISSING))) {
            Assumptions.abort(message + "; skipped because " + ALLOW_MISSING + "=1");
        }
        return fail(message + ", or set " + ALLOW_MISSING + "=1 to skip tests on real data");
    }
}
