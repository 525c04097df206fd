package dev.mmsim.scenarios.ext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmsim.core.SemanticExtension;
import dev.mmsim.core.VmFlag;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading extensions by class name and from a .java file, and the errors a reviewer may meet. */
class SemanticClassesTest {
    /** The example of semantics.md, as a reviewer would pass it. */
    static final Path EXAMPLE = Path.of(System.getProperty("mmsim.home", ".."),
            "scenarios/src/test/java/dev/mmsim/scenarios/ext/BoundedSticky.java");

    static final long GU = VmFlag.VM_MAYBE_GUARD.mask();

    @TempDir
    Path dir;

    @Test
    void byClassName() throws Exception {
        SemanticExtension ext = SemanticClasses.load(BoundedSticky.class.getName());
        assertThat(ext).isInstanceOf(BoundedSticky.class);
        assertThat(ext.name()).isEqualTo("BoundedSticky");
    }

    @Test
    void aJavaFileIsCompiledInMemoryAndDecidesLikeTheClass() throws Exception {
        SemanticExtension ext = SemanticClasses.load(EXAMPLE.toString());
        assertThat(ext.getClass().getName()).isEqualTo(BoundedSticky.class.getName());
        assertThat(ext.getClass().getClassLoader()).isNotSameAs(BoundedSticky.class.getClassLoader());
        assertThat(ext.isMergeableVma(true, GU, 48, 0, 16)).isTrue();
        assertThat(ext.isMergeableVma(true, GU, 49, 0, 16)).isFalse();
        assertThat(ext.isMergeableVma(true, 0, 1000, 0, 16)).isTrue();
        assertThat(ext.isMergeableVma(false, GU, 1, GU, 1)).isFalse();
    }

    @Test
    void compileErrorsNameTheFileAndLine() throws Exception {
        Path bad = dir.resolve("Broken.java");
        Files.writeString(bad, "public class Broken implements dev.mmsim.core.SemanticExtension {\n  int x = ;\n}\n");
        assertThatThrownBy(() -> SemanticClasses.load(bad.toString()))
                .isInstanceOf(SemanticClasses.LoadException.class).hasMessageContaining("Broken.java:2: ");
    }

    @Test
    void whatIsNotAnExtensionIsRefused() throws Exception {
        Path other = dir.resolve("Other.java");
        Files.writeString(other, "public class Other {}\n");
        assertThatThrownBy(() -> SemanticClasses.load(other.toString())).hasMessageContaining("does not implement");
        assertThatThrownBy(() -> SemanticClasses.load("no.such.Rule")).hasMessageContaining("no class no.such.Rule");
        assertThatThrownBy(() -> SemanticClasses.load(dir.resolve("Missing.java").toString()))
                .hasMessageContaining("no such file");
    }
}
