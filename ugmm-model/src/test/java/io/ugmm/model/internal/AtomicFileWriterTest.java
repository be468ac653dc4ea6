package io.ugmm.model.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileWriterTest {

    @Test
    void aWriteRemovesTheStaleTemporariesOfAKilledEarlierWrite(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.safetensors");
        Path stale = Files.writeString(dir.resolve(".model.safetensors.3f2a9c01d4e5b6a7.tmp"), "half a model");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path inProgress = Files.writeString(dir.resolve(".model.safetensors.00ff.tmp"), "another writer, now");
        Path otherFile = Files.writeString(dir.resolve(".other.safetensors.3f2a.tmp"), "not ours");
        Files.setLastModifiedTime(otherFile, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path lookalike = Files.writeString(dir.resolve(".model.safetensors.notes.tmp"), "a user's file");
        Files.setLastModifiedTime(lookalike, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

        AtomicFileWriter.write(target, out -> out.write(new byte[]{1, 2, 3}));

        assertEquals(3, Files.size(target));
        assertFalse(Files.exists(stale), "the killed write's temporary is gone");
        assertTrue(Files.exists(inProgress), "a fresh temporary may belong to a writer still running");
        assertTrue(Files.exists(otherFile), "another file's temporaries are not ours");
        assertTrue(Files.exists(lookalike), "only .NAME.<hex>.tmp counts as a temporary");
    }
}
