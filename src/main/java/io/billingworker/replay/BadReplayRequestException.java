package io.billingworker.replay;

import java.util.List;

/** The operator's options are invalid; the message lists every problem, each naming the option and the bad value. */
public final class BadReplayRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public BadReplayRequestException(List<String> problems) {
        super("invalid options:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
