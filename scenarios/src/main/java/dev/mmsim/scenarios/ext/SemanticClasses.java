package dev.mmsim.scenarios.ext;

import dev.mmsim.core.SemanticExtension;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Loads a reviewer's {@link SemanticExtension} for {@code --semantic-class}: either the name of a
 * class on the class path, or a {@code .java} file, which is compiled in memory against mmsim's
 * own classes so that trying a rule needs neither a build nor an edit of mmsim.
 */
public final class SemanticClasses {
    private SemanticClasses() {}

    /** Why an extension could not be loaded; the message is meant for the user as is. */
    public static final class LoadException extends Exception {
        private static final long serialVersionUID = 1L;

        LoadException(String message) {
            super(message);
        }
    }

    /** Loads {@code spec}: a path ending in {@code .java}, or a binary class name. */
    public static SemanticExtension load(String spec) throws LoadException {
        Class<?> type = spec.endsWith(".java") ? compile(Path.of(spec)) : byName(spec);
        if (!SemanticExtension.class.isAssignableFrom(type))
            throw new LoadException(type.getName() + " does not implement " + SemanticExtension.class.getName());
        try {
            return (SemanticExtension) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new LoadException(type.getName() + " needs a public no-argument constructor");
        } catch (InstantiationException | InvocationTargetException e) {
            throw new LoadException(type.getName() + " could not be created: " + e.getCause());
        }
    }

    private static Class<?> byName(String name) throws LoadException {
        try {
            return Class.forName(name, true, SemanticClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new LoadException("no class " + name + " on the class path (or give a .java file)");
        }
    }

    /** Compiles the file and returns its top-level class, the one named like the file. */
    private static Class<?> compile(Path source) throws LoadException {
        if (!Files.isRegularFile(source)) throw new LoadException(source + ": no such file");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new LoadException("this Java runtime has no compiler; run mmsim on a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        InMemoryOutput output = new InMemoryOutput(files);
        boolean ok = javac.getTask(null, output, diagnostics, List.of("-classpath", classPath(), "-proc:none"),
                null, files.getJavaFileObjects(source)).call();
        if (!ok) throw new LoadException(render(diagnostics));
        String simpleName = source.getFileName().toString().replaceFirst("\\.java$", "");
        ClassLoader loader = new InMemoryClassLoader(output.classes, SemanticClasses.class.getClassLoader());
        for (String name : output.classes.keySet()) {
            if (name.equals(simpleName) || name.endsWith("." + simpleName)) {
                try {
                    return loader.loadClass(name);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("compiled class vanished: " + name, e);
                }
            }
        }
        throw new LoadException(source + " declares no top-level class " + simpleName);
    }

    /** mmsim's own classes, wherever this JVM found them: class path and module path. */
    private static String classPath() {
        return Stream.of(System.getProperty("java.class.path"), System.getProperty("jdk.module.path"))
                .filter(p -> p != null && !p.isEmpty())
                .reduce((a, b) -> a + File.pathSeparator + b).orElse("");
    }

    private static String render(DiagnosticCollector<JavaFileObject> diagnostics) {
        StringJoiner out = new StringJoiner("\n");
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
            out.add(where + d.getMessage(Locale.ROOT));
        }
        return out.toString();
    }

    /** Keeps the compiler's class files in memory, by binary name. */
    private static final class InMemoryOutput extends ForwardingJavaFileManager<StandardJavaFileManager> {
        final Map<String, ByteArrayOutputStream> classes = new HashMap<>();

        InMemoryOutput(StandardJavaFileManager files) {
            super(files);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) {
            return new SimpleJavaFileObject(java.net.URI.create("mem:///" + className.replace('.', '/') + kind.extension),
                    kind) {
                @Override
                public OutputStream openOutputStream() {
                    return classes.computeIfAbsent(className, n -> new ByteArrayOutputStream());
                }
            };
        }
    }

    /** Defines the compiled classes itself (before asking its parent), so the compiled code is what runs. */
    private static final class InMemoryClassLoader extends ClassLoader {
        private final Map<String, ByteArrayOutputStream> classes;

        InMemoryClassLoader(Map<String, ByteArrayOutputStream> classes, ClassLoader parent) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (!classes.containsKey(name)) return super.loadClass(name, resolve);
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = classes.get(name).toByteArray();
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }
}
