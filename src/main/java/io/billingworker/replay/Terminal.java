package io.billingworker.replay;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the process talks to a terminal, so the progress line is shown only there. */
final class Terminal {

    private Terminal() {
    }

    /**
     * True when there is an interactive console. From Java 22 on, {@code System.console()} exists even when output is
     * redirected and {@code Console.isTerminal()} tells the difference; it is looked up by reflection because the
     * code is compiled for Java 21.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
