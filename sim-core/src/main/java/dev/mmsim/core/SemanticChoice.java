package dev.mmsim.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The semantics a user chose for a run ({@code --profile}, {@code --set}, {@code --semantic-class}),
 * applied to each scenario in this order: the chosen profile replaces the scenario's own
 * {@code profile} line, the settings are applied on top of it, the extension is loaded; the
 * scenario's {@code set} statements then switch further as they run.
 *
 * @param profile   the profile to simulate instead of each scenario's own, or null
 * @param settings  switches set explicitly, in {@link Semantic} order
 * @param extension the extension, {@link SemanticExtension#KERNEL} for none
 */
public record SemanticChoice(KernelProfile profile, Map<Semantic, Boolean> settings, SemanticExtension extension) {
    /** Each scenario's own profile, nothing switched, no extension. */
    public static final SemanticChoice NONE = new SemanticChoice(null, Map.of(), SemanticExtension.KERNEL);

    public SemanticChoice {
        EnumMap<Semantic, Boolean> copy = new EnumMap<>(Semantic.class);
        copy.putAll(settings);
        settings = Collections.unmodifiableMap(copy);
    }

    /** The semantics a scenario with profile {@code scenarioProfile} starts with on {@code host}. */
    public Semantics semantics(String scenarioProfile, HostProfile host) {
        Semantics s = new Semantics(profile != null ? profile : KernelProfile.named(scenarioProfile), host);
        settings.forEach(s::set);
        s.extension(extension);
        return s;
    }
}
