package dev.mmsim.proc; final class Wip {}
