/**
 * Extension points for reviewers: loading a {@link dev.mmsim.core.SemanticExtension} given on the
 * command line ({@code --semantic-class}), by class name or as a {@code .java} file compiled in
 * memory. Mirrors no kernel file. Start reading at {@link dev.mmsim.scenarios.ext.SemanticClasses}.
 */
package dev.mmsim.scenarios.ext;
