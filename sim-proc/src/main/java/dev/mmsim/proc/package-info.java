/** /proc views. */
package dev.mmsim.proc;
