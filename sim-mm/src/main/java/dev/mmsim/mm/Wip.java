package dev.mmsim.mm; final class Wip {}
