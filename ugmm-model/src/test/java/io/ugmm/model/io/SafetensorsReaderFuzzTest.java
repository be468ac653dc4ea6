package io.ugmm.model.io;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

/**
 * Any bytes either read as a safetensors file (and then round-trip through the writer unchanged) or are
 * rejected with a {@link ModelFileException} whose message is one line naming the source. Anything else
 * thrown (a RuntimeException, an Error such as OutOfMemoryError or StackOverflowError) or a hang is a bug.
 * The same holds one level up for {@link ModelFiles#fromSafetensors}, and an accepted network must run.
 *
 * <p>In a normal build ({@code mvn verify}) Jazzer runs in regression mode: each file of the seed corpus
 * {@code src/test/resources/io/ugmm/model/io/SafetensorsReaderFuzzTestInputs/fuzzReader/} (made by
 * {@code scripts/make_fuzz_seeds.py}, plus any crash files found since) is run once. To fuzz for real
 * (coverage-guided, here for up to 5 minutes; new crashing inputs are written into that directory):
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl ugmm-model -am test -Dtest=SafetensorsReaderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * (the generated corpus goes to {@code .cifuzz-corpus/}, which git ignores).
 */
class SafetensorsReaderFuzzTest {
    private static final String SOURCE = "fuzz.safetensors";

    @FuzzTest(maxDuration = "5m")
    void fuzzReader(byte[] input) throws ModelFileException {
        SafetensorsFile file;
        try {
            file = SafetensorsReader.read(input, SOURCE);
        } catch (ModelFileException e) {
            checkMessage(e);
            return;
        }
        SafetensorsFile again = SafetensorsReader.read(SafetensorsWriter.toBytes(file), SOURCE);
        if (!again.equals(file)) {
            throw new AssertionError("write then read changed the file: " + file + " became " + again);
        }
        LoadedModel model;
        try {
            model = ModelFiles.fromSafetensors(file);
        } catch (ModelFileException e) {
            checkMessage(e);
            return;
        }
        float[] row = new float[model.network().inputs()];
        Arrays.fill(row, 0.5f);
        if (model.network().forward(row).length != model.network().outputs()) {
            throw new AssertionError("wrong output width");
        }
        LoadedModel reloaded = ModelFiles.fromBytes(ModelFiles.toBytes(model.network(), model.metadata()), SOURCE);
        if (!Arrays.equals(reloaded.network().forward(row), model.network().forward(row))) {
            throw new AssertionError("save then load changed the network's outputs");
        }
    }

    static void checkMessage(ModelFileException e) {
        String m = e.getMessage();
        if (m == null || !m.startsWith(SOURCE + ": ") || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0
                || m.length() > 1000) {
            throw new AssertionError("bad message: " + m, e);
        }
    }
}
