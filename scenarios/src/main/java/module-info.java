/** The scenario language, the sim and kernel backends, transcripts, diff and the mmsim CLI. */
module dev.mmsim.scenarios {
    requires transitive dev.mmsim.proc;
    requires info.picocli;
    requires org.jacoco.core;
    requires java.compiler;
    exports dev.mmsim.scenarios.api;
    exports dev.mmsim.scenarios.lang;
    exports dev.mmsim.scenarios.run;
    exports dev.mmsim.scenarios.vm;
    opens dev.mmsim.scenarios.cli to info.picocli;
}
