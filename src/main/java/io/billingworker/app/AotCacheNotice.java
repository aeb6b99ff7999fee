package io.billingworker.app;

import java.util.List;
import java.util.Optional;

/**
 * What the worker says at start about an ahead-of-time cache it was started with ({@code -XX:AOTCache=<file>};
 * docs/operations.md, "Faster starts: an ahead-of-time cache"). JDK 25 releases before 25.0.4 do not notice that the
 * worker's jar changed since the cache was made, and then run the classes the cache holds, that is, another build's
 * code (JDK-8377932): on those the notice is a warning.
 */
record AotCacheNotice(boolean warning, String message) {

    /** The first JDK 25 release that rejects a cache made from other jar files. */
    static final Runtime.Version FIXED_IN = Runtime.Version.parse("25.0.4");

    private static final String OPTION = "-XX:AOTCache=";

    /** The notice for a JVM started with {@code jvmArguments} on {@code version}; empty without an AOT cache. */
    static Optional<AotCacheNotice> of(List<String> jvmArguments, Runtime.Version version) {
        String file = null;
        for (String argument : jvmArguments) {
            if (argument.startsWith(OPTION)) {
                file = argument.substring(OPTION.length()); // the JVM uses the last one
            }
        }
        if (file == null) {
            return Optional.empty();
        }
        if (version.compareToIgnoreOptional(FIXED_IN) < 0) {
            return Optional.of(new AotCacheNotice(true, "started with -XX:AOTCache=" + file + " on JDK " + version
                    + ", which does not notice a cache made from another build of the worker and would run that "
                    + "build's classes (JDK-8377932, fixed in 25.0.4): use only a cache made in the same build as "
                    + "this jar"));
        }
        return Optional.of(new AotCacheNotice(false, "started with -XX:AOTCache=" + file));
    }
}
