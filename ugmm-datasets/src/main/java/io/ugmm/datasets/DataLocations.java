package io.ugmm.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where downloaded datasets live: {@code $UGMM_DATA} if set, and {@code ~/.cache/ugmm}. */
final class DataLocations {
    /** Environment variable naming a directory of datasets, looked in before the default cache. */
    static final String DATA_ENV = "UGMM_DATA";

    private DataLocations() {
    }

    /** The data directories, most specific first. */
    static List<Path> dataRoots() {
        List<Path> roots = new ArrayList<>();
        String env = System.getenv(DATA_ENV);
        if (env != null && !env.isBlank()) {
            roots.add(Path.of(env));
        }
        // $HOME first, as the fetch script uses it; Java's user.home comes from the password database instead.
        String home = System.getenv("HOME");
        roots.add(Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache", "ugmm"));
        return roots;
    }

    /** {@code child} under each data root. */
    static List<Path> underDataRoots(String child) {
        List<Path> paths = new ArrayList<>();
        for (Path root : dataRoots()) {
            paths.add(root.resolve(child));
        }
        return paths;
    }

    /** "looked in A, B and C" for messages. */
    static String lookedIn(List<Path> places) {
        StringBuilder text = new StringBuilder("looked in ");
        for (int i = 0; i < places.size(); i++) {
            text.append(i == 0 ? "" : i == places.size() - 1 ? " and " : ", ").append(places.get(i));
        }
        return text.toString();
    }
}
