package dev.mmsim.scenarios.lang; final class Wip {}
