/** The {@code mmsim} command line (picocli): {@code replay}, {@code diff}, {@code check}, {@code compare}, {@code explore}. */
package dev.mmsim.scenarios.cli;
