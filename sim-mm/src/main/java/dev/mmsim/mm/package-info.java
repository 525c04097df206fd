/** The mm model. */
package dev.mmsim.mm;
