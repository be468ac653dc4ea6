package io.ugmm.cli.serve;

import io.ugmm.model.internal.Json;
import java.util.List;
import java.util.Map;

/** The JSON bodies the server answers with, written by hand (the JDK has no JSON writer). */
final class ResponseWriter {
    private ResponseWriter() {
    }

    /** {@code {"predictions": [{"class": ..., "class_index": ..., "probabilities": [...]}, ...]}}. */
    static String predictions(ScoringJob job, List<String> classNames) {
        int classes = classNames.size();
        StringBuilder sb = new StringBuilder(32 + job.rows * (48 + 14 * classes));
        sb.append("{\"predictions\":[");
        for (int r = 0; r < job.rows; r++) {
            if (r > 0) {
                sb.append(',');
            }
            int c = job.classIndex[r];
            if (c < 0) {
                sb.append("{\"class\":null,\"class_index\":-1,\"probabilities\":null,\"no_finite_score\":true");
            } else {
                sb.append("{\"class\":").append(Json.quote(classNames.get(c))).append(",\"class_index\":").append(c);
                sb.append(",\"probabilities\":[");
                for (int k = 0; k < classes; k++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    sb.append(job.probabilities[r * classes + k]);
                }
                sb.append(']');
            }
            if (job.outOfRange[r]) {
                sb.append(",\"out_of_range\":true");
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    static String error(ErrorKind kind, String message) {
        return "{\"error\":" + Json.quote(message) + ",\"kind\":\"" + kind.label() + "\"}";
    }

    static String status(String status) {
        return "{\"status\":" + Json.quote(status) + "}";
    }

    /** {@code GET /v1/model}: what the served model expects and answers. */
    static String model(ServedModel served) {
        ScoringModel m = served.model();
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"path\":").append(Json.quote(served.path().toString()));
        sb.append(",\"description\":").append(Json.quote(m.description()));
        sb.append(",\"inputs\":").append(m.inputCount());
        sb.append(",\"input_names\":");
        strings(sb, m.inputNames());
        sb.append(",\"classes\":");
        strings(sb, m.classNames());
        sb.append(",\"metadata\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : m.metadata().entrySet()) {
            sb.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            first = false;
        }
        sb.append("},\"loaded_at\":").append(Json.quote(served.loadedAt().toString()));
        sb.append(",\"version\":").append(served.version()).append('}');
        return sb.toString();
    }

    private static void strings(StringBuilder sb, List<String> values) {
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            sb.append(i > 0 ? "," : "").append(Json.quote(values.get(i)));
        }
        sb.append(']');
    }
}
