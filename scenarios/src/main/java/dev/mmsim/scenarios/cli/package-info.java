/** The {@code mmsim} command line (picocli): {@code replay}, {@code diff}, {@code check}. */
package dev.mmsim.scenarios.cli;
