package io.ugmm.cli.bench;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.internal.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The step / forward timing runs end to end on a small network with 1 ms rounds; its JSON fields join the report's. */
class TrainingStepTimingTest {

    @Test
    void measuresAStepAgainstAForwardPass() {
        UgmmNetwork net = UgmmNetwork.builder(20).layer(8).layer(10).seed(3).build();
        TrainingStepTiming.Result r = TrainingStepTiming.measure(net, 1_000_000L, 3, 7);
        assertTrue(r.forwardMillis() > 0 && r.stepMillis() > 0, r.toString());
        assertTrue(r.ratioMin() <= r.ratio() && r.ratio() <= r.ratioMax(), r.toString());
    }

    @Test
    void addsItsFieldsToTheReportObject() throws Exception {
        String report = "{\n  \"jdk\": \"17\",\n  \"net_b256_samples_per_s\": 24905\n}\n";
        String json = new TrainingStepTiming.Result(5.0, 15.5, 3.1, 3.0, 3.2).addTo(report);
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) Json.parse(json);
        assertEquals("17", parsed.get("jdk"));
        assertEquals(24905.0, ((Number) parsed.get("net_b256_samples_per_s")).doubleValue());
        assertEquals(3.1, ((Number) parsed.get("train_step_over_forward_b128")).doubleValue(), 1e-9);
        assertEquals(15.5, ((Number) parsed.get("train_step_b128_ms")).doubleValue(), 1e-9);
        assertEquals(5.0, ((Number) parsed.get("train_forward_b128_ms")).doubleValue(), 1e-9);
    }

    @Test
    void refusesANetworkThatIsNotATenClassClassifier() {
        UgmmNetwork net = UgmmNetwork.builder(20).layer(3).seed(3).build();
        assertThrows(IllegalArgumentException.class, () -> TrainingStepTiming.measure(net, 1_000_000L, 1, 7));
    }
}
