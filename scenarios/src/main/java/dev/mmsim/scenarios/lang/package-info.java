/** The scenario language. */
package dev.mmsim.scenarios.lang;
