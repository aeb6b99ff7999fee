package io.billingworker.serde;

/** Keeps text from elsewhere (registry answers, schema diagnostics) to one bounded line in exception messages. */
final class Messages {

    private Messages() {
    }

    static String bounded(String text, int maxLength) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return oneLine.length() <= maxLength ? oneLine : oneLine.substring(0, maxLength) + "...";
    }
}
